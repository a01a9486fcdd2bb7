package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
)

// scanFlags are the scan command's options.
type scanFlags struct {
	out         outputFlags
	config      string
	spec        string
	source      string
	imp         importFlags
	endpoints   []string
	exclude     []string
	identities  []string
	rate        float64
	concurrency int
	timeout     time.Duration
	budget      time.Duration
	allowWrites bool
	checks      []string
	skip        []string
	jwtSecret   string
	jwtKey      string
	wordlists   []string
	crackTime   time.Duration
	crackMasks  string
	bruteforce  int
	lockout     bool
	callback    string
	transcript  string
	fleet       fleetFlags
	dryRun      bool
	fast        bool
}

func newScanCmd(s IO) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan URL",
		Short: "Probe a running API with forged, tampered, missing and swapped credentials",
		Long: `Probe a running API and prove each authentication weakness with a
reproducible request. Endpoints come from --spec, --source, the config's
endpoints and --endpoint (which replaces them); identities from --identity
and the config. GETs whose path or summary says they change state (reset,
createdb, logout, ...) and --exclude'd endpoints are never called; the
result's coverage lists them with what else was not tested, and why. Exit
codes: 0 nothing at or above --fail-on and the planned checks ran, 1
findings at or above it, 2 usage or config error (including an identity
that cannot be sent), 3 could not test (target unreachable, identity
preflight failed, time budget spent before the checks ran), 130/143
interrupted by SIGINT/SIGTERM (the outputs are still written, marked
incomplete).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), s, cmd, args, &f)
		},
	}
	f.register(cmd)
	f.fleet.register(cmd)
	return cmd
}

// register declares the flags of one scan; scan --targets parses them again
// for each target.
func (f *scanFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	f.out.register(cmd)
	fl.StringVarP(&f.config, "config", "c", "", "YAML config file")
	fl.StringVar(&f.spec, "spec", "", "OpenAPI 3.x or Swagger 2.0 file or URL")
	fl.StringVar(&f.source, "source", "", "Flask source directory: routes come from the code and findings are pinned to their lines")
	f.imp.register(fl)
	fl.StringArrayVar(&f.endpoints, "endpoint", nil, `endpoint to scan, "METHOD /path" (repeatable)`)
	fl.StringArrayVar(&f.exclude, "exclude", nil, `never call these endpoints, "METHOD /path-glob" (repeatable; added to the config's exclude:)`)
	fl.StringArrayVar(&f.identities, "identity", nil, "NAME=bearer:TOKEN | NAME=header:Name:VALUE | NAME=query:param:VALUE | NAME=cookie:name:VALUE (repeatable)")
	fl.Float64Var(&f.rate, "rate", 50, "requests per second (0: unlimited)")
	fl.IntVar(&f.concurrency, "concurrency", 4, "requests in flight at once")
	fl.DurationVar(&f.timeout, "timeout", 10*time.Second, "per-request timeout")
	fl.DurationVar(&f.budget, "time-budget", 0, "stop after this long and report what was found (0: no limit)")
	fl.BoolVar(&f.allowWrites, "allow-writes", false, "also probe POST, PUT, PATCH and DELETE endpoints")
	fl.StringSliceVar(&f.checks, "checks", nil, "run only these checks (ids or family prefixes)")
	fl.StringSliceVar(&f.skip, "skip", nil, "skip these checks (ids or family prefixes)")
	fl.StringVar(&f.jwtSecret, "jwt-secret", "", "HMAC secret the owner knows: unlocks the claim-validation checks")
	fl.StringVar(&f.jwtKey, "jwt-key", "", "PEM private key the owner knows: unlocks the claim-validation checks")
	fl.StringArrayVar(&f.wordlists, "wordlist", nil, "extra candidate secrets for offline recovery, added to the built-in list (repeatable)")
	fl.DurationVar(&f.crackTime, "crack-time", 20*time.Second, "upper bound on the time spent recovering each token's secret offline")
	fl.StringVar(&f.crackMasks, "crack-masks", "short", "offline recovery after the wordlists and rules: short (digits up to 6, lowercase up to 4, then stop) or long (also 7-8 digits and 5-6 letters, until --crack-time)")
	fl.IntVar(&f.bruteforce, "bruteforce-attempts", 30, "failed attempts sent before expecting throttling")
	fl.BoolVar(&f.lockout, "allow-lockout", false, "brute-force check: send wrong passwords for the configured usernames (default: a made-up username, unless the identity is throwaway: true)")
	fl.StringVar(&f.transcript, "transcript", "", "write every request sent (method, URL, status, time; credentials redacted) to FILE as JSON lines")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the write plan (what --allow-writes would send, in order) and exit without sending anything")
	fl.BoolVar(&f.fast, "fast", false, "confirm a weakness proven on a gate's representative on a sample of its other endpoints only (the rest are listed as inferred)")
	fl.StringVar(&f.callback, "callback", "", "host:port the target can reach authprobe on (jku/x5u key set checks); default only for loopback targets")
}

func runScan(ctx context.Context, s IO, cmd *cobra.Command, args []string, f *scanFlags) error {
	if f.fleet.targets != "" {
		return runFleet(ctx, s, cmd, args, f)
	}
	cfg := &Config{}
	if f.config != "" {
		c, err := LoadConfig(f.config)
		if err != nil {
			return usageErr("config: %v", err)
		}
		cfg = c
		for _, d := range c.Deprecations {
			fmt.Fprintf(s.Err, "authprobe: config %s: deprecated: %s\n", f.config, d)
		}
	}
	if err := f.out.resolve(); err != nil {
		return err
	}
	if err := f.checkLimits(); err != nil {
		return err
	}
	target := cfg.Target
	if len(args) == 1 {
		target = args[0]
	}
	if _, err := scanAndWrite(ctx, s, target, cfg, f, nil, true); err != errDryRun {
		return err
	}
	return nil
}

// scanAndWrite runs one scan and writes its result; scan and scan
// --targets both run through it. The result is written even when the
// scan was cut short (marked incomplete), and an interrupted or
// over-budget scan never exits 0. A dry run prints the write plan and
// returns a nil result.
func scanAndWrite(ctx context.Context, s IO, target string, cfg *Config, f *scanFlags, hosts *httpx.Hosts, draw bool) (*report.Result, error) {
	sc, err := f.scanConfig(target, cfg, hosts)
	if err != nil {
		return nil, err
	}
	sink := f.out.sink()
	h := scan.Handler{
		Flush:   sink.flush,
		Warning: func(msg string) { fmt.Fprintf(s.Err, "authprobe: %s\n", msg) },
		Plan:    func(steps []string) { printWritePlan(s.Out, steps) },
	}
	var prog *progress
	if draw {
		prog = newProgress(s.Err)
		h.Progress = prog.scanStatus
	}
	res, err := scan.Run(ctx, sc, h)
	prog.done()
	sink.stop(res == nil) // with no result to write, keep what was streamed
	if res == nil {
		if err == nil && f.dryRun {
			return nil, errDryRun
		}
		return nil, exitErr(err)
	}
	var stop *scan.StoppedError
	errors.As(err, &stop)
	werr := f.out.finish(s, res)
	var pe *scan.PreflightError
	if errors.As(err, &pe) {
		// Written, and still exit 3: no identity authenticates.
		if werr != nil && werr != errFindings {
			return res, werr
		}
		return res, untestable(pe.Err)
	}
	return res, settle(stop, werr)
}

// errDryRun ends a --dry-run scan once the write plan is printed.
var errDryRun = errors.New("dry run: nothing sent")

// printWritePlan prints a dry run's steps.
func printWritePlan(w io.Writer, steps []string) {
	fmt.Fprintln(w, "Write plan (--dry-run: nothing was sent)")
	for i, l := range steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, l)
	}
}

// scanConfig translates the flags and the config file into one scan's Config.
func (f *scanFlags) scanConfig(target string, cfg *Config, hosts *httpx.Hosts) (scan.Config, error) {
	ids, err := mergeIdentities(cfg.Identities, f.identities)
	if err != nil {
		return scan.Config{}, usageErr("%v", err)
	}
	sc := scan.Config{
		Target: target, Version: Version, Spec: f.spec, Source: f.source, Import: f.imp.options(),
		Endpoints: cfg.Endpoints, EndpointFlags: f.endpoints, Exclude: append(append([]string(nil), cfg.Exclude...), f.exclude...),
		Identities: ids, Checks: f.checks, Skip: f.skip,
		Rate: f.rate, Concurrency: f.concurrency, Timeout: f.timeout, Budget: f.budget,
		AllowWrites: f.allowWrites, Fast: f.fast, DryRun: f.dryRun, Transcript: f.transcript,
		ShowSecrets: f.out.showSecrets, Settings: settings(cfg, f), Hosts: hosts,
	}
	if sc.Spec == "" {
		sc.Spec = cfg.path(cfg.Spec)
	}
	if sc.Source == "" {
		sc.Source = cfg.path(cfg.Source)
	}
	return sc, nil
}

// checkLimits refuses negative limits (they used to be accepted silently).
func (f *scanFlags) checkLimits() error {
	switch {
	case f.rate < 0:
		return usageErr("--rate %v: must not be negative (0: unlimited)", f.rate)
	case f.concurrency < 0:
		return usageErr("--concurrency %d: must not be negative", f.concurrency)
	case f.timeout < 0:
		return usageErr("--timeout %v: must not be negative", f.timeout)
	case f.budget < 0:
		return usageErr("--time-budget %v: must not be negative (0: no limit)", f.budget)
	case f.crackTime < 0:
		return usageErr("--crack-time %v: must not be negative", f.crackTime)
	case f.bruteforce < 0:
		return usageErr("--bruteforce-attempts %d: must not be negative", f.bruteforce)
	}
	if _, ok := crack.ParseDepth(f.crackMasks); !ok {
		return usageErr("--crack-masks %q: want short or long", f.crackMasks)
	}
	return nil
}

// crackDepth is --crack-masks, checked by checkLimits.
func crackDepth(s string) crack.Depth {
	d, _ := crack.ParseDepth(s)
	return d
}

func settings(cfg *Config, f *scanFlags) probe.Settings {
	st := probe.Settings{
		JWTSecret: []byte(cfg.JWT.Secret), JWTKeyFile: cfg.path(cfg.JWT.KeyFile),
		CrackTime: f.crackTime, CrackDepth: crackDepth(f.crackMasks), Wordlists: f.wordlists, BruteforceAttempts: f.bruteforce, AllowLockout: f.lockout,
		Policy: cfg.Policy, Callback: f.callback, Flows: cfg.Flows, Bodies: cfg.Bodies,
	}
	if f.jwtSecret != "" {
		st.JWTSecret = []byte(f.jwtSecret)
	}
	if f.jwtKey != "" {
		st.JWTKeyFile = f.jwtKey
	}
	if len(st.JWTSecret) == 0 {
		st.JWTSecret = nil
	}
	return st
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
