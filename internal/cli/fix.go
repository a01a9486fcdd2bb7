package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
	"github.com/authprobe/authprobe/internal/static"
	"github.com/spf13/cobra"
)

// fixFlags are the fix command's options.
type fixFlags struct {
	source      string
	config      string
	identities  []string
	run         string
	testCmd     string
	noTests     bool
	apply       bool
	force       bool
	outputs     []string
	quiet       bool
	rate        float64
	timeout     time.Duration
	testLimit   time.Duration
	crackTime   time.Duration
	allowWrites bool
}

func newFixCmd(s IO) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix RESULT.json --source DIR",
		Short: "Patch each finding whose fix is mechanical, and prove the patch on a copy",
		Long: `Write a unified diff that fixes each finding of a saved result whose cause
line is known and whose fix is mechanical (strict decode, pinned algorithm,
secret from the environment, constant-time key check, query source removed,
...; with -c, a route the YAML spec inside DIR lacks is documented there);
every other finding is listed with the reason. The patch is applied to
a copy of DIR and proven there: static (code no longer reports it, and
nothing new), tests (the project's test command passes or fails as before;
--test-cmd names it) and, with --run CMD, dynamic (the copy is started with
CMD, {port} being a free loopback port, the identities of -c log in and each
finding's proof is replayed). --apply writes the patch into DIR only when
every applicable proof passed (--force: anyway).
Outputs by extension: .patch/.diff the diff, .json the per-finding proofs,
.sarif/.md the result with its suggested fixes, .html/.txt the result. Without -o the
diff goes to stdout. Exit codes: 0 every patch proven, 1 a proof failed, 2
usage or config error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFix(cmd.Context(), s, args[0], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "the project's source directory (required)")
	fl.StringVarP(&f.config, "config", "c", "", "YAML config file (the scan's identities, for --run)")
	fl.StringArrayVar(&f.identities, "identity", nil, "NAME=KIND:VALUE as for scan (repeatable)")
	fl.StringVar(&f.run, "run", "", "command starting the app, {port} = loopback port; runs in the patched copy")
	fl.StringVar(&f.testCmd, "test-cmd", "", "the project's test command (default: pytest, make test or unittest when found)")
	fl.BoolVar(&f.noTests, "no-tests", false, "do not run the project's tests")
	fl.BoolVar(&f.apply, "apply", false, "write the patch into DIR when every applicable proof passed")
	fl.BoolVar(&f.force, "force", false, "with --apply: write the patch even when a proof failed or did not run")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write to PATH: .patch/.diff, .json (fix.json), .sarif, .md, .html, .txt (repeatable)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout")
	fl.Float64Var(&f.rate, "rate", 50, "requests per second of the dynamic proof (0: unlimited)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "per-request timeout of the dynamic proof")
	fl.DurationVar(&f.crackTime, "crack-time", 20*time.Second, "secret-recovery budget of the dynamic proof's rescan")
	fl.BoolVar(&f.allowWrites, "allow-writes", false, "let the dynamic proof's rescan send writes (as scan --allow-writes)")
	fl.DurationVar(&f.testLimit, "test-timeout", 10*time.Minute, "longest the test command may run (each copy)")
	return cmd
}

func runFix(ctx context.Context, s IO, resultPath string, f *fixFlags) error {
	if f.source == "" {
		return usageErr("fix needs --source DIR")
	}
	if st, err := os.Stat(f.source); err != nil || !st.IsDir() {
		return usageErr("--source %s: not a directory", f.source)
	}
	if f.force && !f.apply {
		return usageErr("--force only makes sense with --apply")
	}
	for _, p := range f.outputs {
		if !isPatchPath(p) && !strings.HasSuffix(p, ".json") {
			if _, err := report.ForPath(p); err != nil {
				return usageErr("-o %s: %v", p, err)
			}
		}
	}
	res, err := report.ReadJSON(resultPath)
	if err != nil {
		return usageErr("%v", err)
	}
	replay, err := fixReplayer(f, res.Endpoints)
	if err != nil {
		return err
	}
	var fs []finding.Finding
	for _, x := range res.Findings {
		if x.Suppressed == "" {
			fs = append(fs, x)
		}
	}
	opt := fix.Options{Endpoints: res.Endpoints}
	if f.config != "" {
		cfg, err := LoadConfig(f.config)
		if err != nil {
			return usageErr("config: %v", err)
		}
		if !isURL(cfg.Spec) {
			opt.Spec = cfg.path(cfg.Spec)
		}
	}
	plan, err := fix.MakeWith(ctx, f.source, fs, opt)
	if errors.Is(err, static.ErrNoCgo) {
		return usageErr("fix: %v", err)
	}
	if err != nil {
		return err
	}
	opts := fix.ProveOptions{Run: f.run, Replay: replay, TestLimit: f.testLimit, Env: plan.ProofEnv(randomSecret)}
	if !f.noTests {
		opts.TestCmd = f.testCmd
		if opts.TestCmd == "" {
			opts.TestCmd = fix.TestCommand(f.source)
		}
	}
	if err := plan.Prove(ctx, opts); err != nil {
		return err
	}
	applied := false
	if f.apply && plan.Patched() > 0 {
		if ok, why := plan.Ready(); !ok && !f.force {
			fmt.Fprintf(s.Err, "fix: not applied: %s (--force applies anyway)\n", why)
		} else if err := plan.WriteTo(f.source); err != nil {
			return err
		} else {
			applied = true
		}
	}
	doc := plan.Doc(resultPath, applied, opts.TestCmd)
	res.Fixes = doc.Findings
	for _, p := range f.outputs {
		if err := writeFixOutput(p, plan, &doc, res); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	if !f.quiet {
		if len(f.outputs) == 0 {
			io.WriteString(s.Out, plan.Diff())
			fmt.Fprintf(s.Err, "fix: %d of %d findings patched, %d proven; -o fix.json lists every finding, its proofs and why the others were not patched\n",
				doc.Stats.Patched, doc.Stats.Findings, doc.Stats.Proven)
		} else {
			writeFixText(s.Out, &doc)
		}
	}
	if applied {
		fmt.Fprintf(s.Err, "fix: patch written into %s\n", f.source)
	}
	if !plan.AllPassed() {
		return errFindings
	}
	return nil
}

func isPatchPath(p string) bool {
	return strings.HasSuffix(p, ".patch") || strings.HasSuffix(p, ".diff")
}

// randomSecret is the value the proofs give a secret the patch moved into
// the environment: the caller's own when it is long enough, else a fresh
// random one (the patched copy refuses to start without it).
func randomSecret(name string) string {
	if v := os.Getenv(name); len(v) >= 32 {
		return v
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func writeFixOutput(path string, plan *fix.Plan, doc *fix.Doc, res *report.Result) error {
	switch {
	case isPatchPath(path):
		return os.WriteFile(path, []byte(plan.Diff()), 0o644)
	case filepath.Ext(path) == ".json":
		data, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(path, append(data, '\n'), 0o644)
	}
	w, err := report.ForPath(path)
	if err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := w(out, res, report.Options{}); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func writeFixText(w io.Writer, doc *fix.Doc) {
	fmt.Fprintf(w, "fix of %s (source %s): %d findings, %d patched, %d proven\n", doc.Result, doc.Source,
		doc.Stats.Findings, doc.Stats.Patched, doc.Stats.Proven)
	for _, r := range doc.Findings {
		if r.Patched {
			fmt.Fprintf(w, "  patched   %-34s static %s · tests %s · dynamic %s — %s\n", r.Rule, r.Proofs.Static, r.Proofs.Tests, r.Proofs.Dynamic, r.Change)
		} else {
			fmt.Fprintf(w, "  unpatched %-34s %s\n", r.Rule, r.Reason)
		}
	}
	if len(doc.BrokenLogins) > 0 {
		fmt.Fprintf(w, "logins broken by the patch: %s\n", strings.Join(doc.BrokenLogins, "; "))
	}
	if len(doc.Env) > 0 {
		fmt.Fprintf(w, "the patched code needs these environment variables: %s\n", strings.Join(doc.Env, ", "))
	}
}

// fixReplayer configures the dynamic proof (internal/fix: logins, replay,
// rescan through scan.Run): the scan's config file and --identity flags,
// with the proof's --rate, --timeout, --crack-time and --allow-writes, as
// the scan command would set them; every other scan option keeps its
// default. Nil without --run.
func fixReplayer(f *fixFlags, served []report.Endpoint) (fix.Replayer, error) {
	if f.run == "" {
		return nil, nil
	}
	cfg := &Config{}
	if f.config != "" {
		var err error
		if cfg, err = LoadConfig(f.config); err != nil {
			return nil, usageErr("config: %v", err)
		}
	}
	if _, err := mergeIdentities(cfg.Identities, f.identities); err != nil {
		return nil, usageErr("%v", err)
	}
	sf := &scanFlags{config: f.config, identities: f.identities, rate: f.rate, timeout: f.timeout,
		crackTime: f.crackTime, allowWrites: f.allowWrites}
	d := fix.Dynamic{Served: served, Scan: func() (scan.Config, error) {
		sc, err := sf.scanConfig("", cfg, nil)
		return sc, err
	}}
	return d.Replayer(), nil
}
