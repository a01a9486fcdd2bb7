package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
)

// RetestSchema is the value of a retest result's schema field.
const RetestSchema = scan.RetestSchema

// retestFlags are the retest command's options.
type retestFlags struct {
	config      string
	identities  []string
	failOn      failOnFlag
	outputs     []string
	format      string
	quiet       bool
	rate        float64
	timeout     time.Duration
	showSecrets bool
}

func newRetestCmd(s IO) *cobra.Command {
	var f retestFlags
	cmd := &cobra.Command{
		Use:   "retest RESULT.json [URL]",
		Short: "Replay each finding's proof: still open, fixed or inconclusive",
		Long: `Replay the proving request of each finding of a saved scan result —
forged tokens re-made from a fresh credential, identities logged in again —
and say per finding whether it is still open, fixed or inconclusive, without
a full scan. Give the scan's identities (-c and --identity as for scan); the
target is the result's unless URL is given. Exit codes as scan: 0 nothing
still open at or above --fail-on, 1 findings still open at or above it, 2
usage or config error, 3 could not test (target unreachable, login failed).`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRetest(cmd.Context(), s, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.config, "config", "c", "", "YAML config file (the scan's identities)")
	fl.StringArrayVar(&f.identities, "identity", nil, "NAME=KIND:VALUE as for scan (repeatable)")
	f.failOn.register(cmd)
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the retest as JSON to PATH (repeatable)")
	fl.StringVar(&f.format, "format", "text", "stdout format: text or json")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout")
	fl.Float64Var(&f.rate, "rate", 50, "requests per second (0: unlimited)")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "per-request timeout")
	fl.BoolVar(&f.showSecrets, "show-secrets", false, "do not redact credentials in output")
	return cmd
}

func runRetest(ctx context.Context, s IO, args []string, f *retestFlags) error {
	if err := f.failOn.resolve(); err != nil {
		return err
	}
	if f.format != "text" && f.format != "json" {
		return usageErr("--format %q: want text or json", f.format)
	}
	res, err := report.ReadJSON(args[0])
	if err != nil {
		return usageErr("%v", err)
	}
	cfg := &Config{}
	if f.config != "" {
		if cfg, err = LoadConfig(f.config); err != nil {
			return usageErr("config: %v", err)
		}
	}
	target := res.Target
	if len(args) == 2 {
		target = args[1]
	}
	ids, err := mergeIdentities(cfg.Identities, f.identities)
	if err != nil {
		return usageErr("%v", err)
	}
	sc := scan.Config{Target: target, Version: Version, Identities: ids, Rate: f.rate, Timeout: f.timeout, ShowSecrets: f.showSecrets}
	doc, err := scan.RunRetest(ctx, sc, args[0], res.Findings)
	if doc == nil {
		return exitErr(err)
	}
	for _, p := range f.outputs {
		if err := writeRetestJSON(p, doc); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	if !f.quiet {
		if f.format == "json" {
			enc := json.NewEncoder(s.Out)
			enc.SetIndent("", "  ")
			if err := enc.Encode(doc); err != nil {
				return err
			}
		} else {
			writeRetestText(s.Out, doc)
		}
	}
	if err != nil {
		return exitErr(err)
	}
	for _, r := range doc.Findings {
		if r.StillOpen(f.failOn.sev) {
			return errFindings
		}
	}
	return nil
}

func writeRetestJSON(path string, doc *scan.Retest) error {
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func writeRetestText(w io.Writer, doc *scan.Retest) {
	fmt.Fprintf(w, "retest of %s against %s: %d findings, %d requests in %s\n", doc.Result, doc.Target,
		len(doc.Findings), doc.Stats.Requests, time.Duration(doc.Stats.DurationMS)*time.Millisecond)
	for _, r := range doc.Findings {
		where := "identity " + r.Identity
		if r.Endpoint != nil {
			where = r.Endpoint.String()
		}
		fmt.Fprintf(w, "  %-12s  %-8s  %s  %s — %s\n", r.Status, r.Severity, r.Rule, where, r.Why)
	}
	fmt.Fprintf(w, "%d still open · %d fixed · %d inconclusive\n", doc.Stats.StillOpen, doc.Stats.Fixed, doc.Stats.Inconclusive)
}
