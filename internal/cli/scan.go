package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/crack"
	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/report"
)

// scanFlags are the scan command's options.
type scanFlags struct {
	out         outputFlags
	config      string
	spec        string
	source      string
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
	}
	if err := f.out.resolve(); err != nil {
		return err
	}
	if err := f.checkLimits(); err != nil {
		return err
	}
	run := scanRun{cfg: cfg, target: cfg.Target, progress: true}
	if len(args) == 1 {
		run.target = args[0]
	}
	res, settle, err := scanResult(ctx, s, run, f)
	if err == errDryRun {
		return nil
	}
	if err != nil {
		return err
	}
	return settle(f.out.finish(s, res))
}

// errDryRun ends a --dry-run scan once the write plan is printed.
var errDryRun = errors.New("dry run: nothing sent")

// scanRun is what one scan needs beyond its flags.
type scanRun struct {
	target   string
	cfg      *Config
	hosts    *httpx.Hosts // per-host limits shared with other scans; nil: the scan's own
	progress bool         // draw the progress line on a terminal
}

// scanResult runs one scan and returns its result; the JSON outputs are
// streamed as findings come, and f.out.finish sorts and writes the rest.
// scan and scan --targets both run through it. The result is written even
// when the scan was cut short (marked incomplete); settle then turns the
// write's outcome into the scan's exit, so an interrupted or over-budget
// scan never exits 0.
func scanResult(ctx context.Context, s IO, run scanRun, f *scanFlags) (*report.Result, func(error) error, error) {
	started := time.Now()
	cfg := run.cfg
	target, err := parseTarget(run.target)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	ids, err := mergeIdentities(cfg.Identities, f.identities)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	for _, id := range ids {
		// Before the first request: an identity that can never be sent
		// would fail inside the client and leave nothing tested.
		if err := id.Validate(target); err != nil {
			return nil, nil, usageErr("%v", err)
		}
	}
	checks, err := engine.Select(engine.Registry(), f.checks, f.skip)
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	client, err := httpx.New(httpx.Options{
		Timeout: f.timeout, Rate: f.rate, Concurrency: f.concurrency,
		Scope: []string{target.Host}, Retries: 2, Hosts: run.hosts,
	})
	if err != nil {
		return nil, nil, usageErr("%v", err)
	}
	client.Redactor.Show = f.out.showSecrets
	f.out.redactor = client.Redactor
	for _, id := range ids {
		client.Redactor.Public(id.Name)
	}
	for _, id := range ids {
		client.Redactor.Add(id.Base.Secrets()...)
	}
	if f.budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, f.budget, errors.New("time budget spent"))
		defer cancel()
	}
	res := newResult(target.String(), started)
	inv, err := buildInventory(ctx, cfg, f, target)
	if err != nil {
		return f.stopped(ctx, res, client, err)
	}
	src, err := loadSource(ctx, cfg, f, inv)
	if err != nil {
		return f.stopped(ctx, res, client, err)
	}
	excluded, err := excludeEndpoints(inv, append(append([]string(nil), cfg.Exclude...), f.exclude...))
	if err != nil {
		return nil, nil, err
	}
	if f.dryRun {
		printWritePlan(s, cfg, inv, ids)
		return nil, nil, errDryRun
	}
	if f.transcript != "" {
		defer func() {
			if err := writeTranscript(f.transcript, client.Transcript()); err != nil {
				fmt.Fprintf(s.Err, "authprobe: transcript: %v\n", err)
			}
		}()
	}
	inferred := inferUse(ctx, client, inv, target.String(), ids)
	stream := f.out.streamer(res)
	var prog *progress
	if run.progress {
		prog = newProgress(s.Err)
	}
	outcome, err := engine.Run(ctx, engine.Options{
		Target: target, Client: client, Inventory: inv, Identities: ids, Checks: checks,
		AllowWrites: f.allowWrites, Parallel: f.concurrency, OnFinding: stream,
		Settings: settings(cfg, f), Progress: prog.update, Allow: engine.RuleFilter(f.checks, f.skip),
		SourceGates: src.gates, Fast: f.fast,
	})
	prog.done()
	if err != nil {
		if ctx.Err() != nil {
			return f.stopped(ctx, res, client, err)
		}
		return nil, nil, untestable(errors.New(client.Redactor.String(err.Error())))
	}
	if ctx.Err() == nil && unreachable(outcome) {
		return nil, nil, untestable(whyUnreachable(target, client.Transcript()))
	}
	fill(res, outcome, inv, client.Requests(), started)
	addExcluded(res, excluded)
	res.Warnings = append(inferred, res.Warnings...)
	src.join(res, outcome, ids)
	res.Incomplete = res.Incomplete || ctx.Err() != nil
	redactResult(res, client.Redactor)
	// The budget's cancel runs when this returns: settle must see the
	// context as it was now, not as the deferred cancel leaves it.
	ended := ctx
	if ctx.Err() == nil {
		ended = context.Background()
	}
	return res, func(werr error) error { return incompleteExit(ended, outcome, werr) }, nil
}

// incompleteExit decides the exit of a scan whose context ended: an
// interrupt is reported by Run (130/143); a budget spent before any check
// ran, or before the planned checks finished without a finding at
// --fail-on, could not test (3). Never 0 for a scan that did not finish.
func incompleteExit(ctx context.Context, outcome *engine.Outcome, err error) error {
	if ctx.Err() == nil || interrupted(ctx) != nil {
		return err
	}
	if !outcome.ChecksStarted {
		return untestable(fmt.Errorf("%v before any check ran (the result written is incomplete)", context.Cause(ctx)))
	}
	if err == errFindings {
		return err
	}
	return untestable(fmt.Errorf("%v before the planned checks finished (the result written is incomplete)", context.Cause(ctx)))
}

// stopped handles an error from a stage the context's end cut short: the
// result is still returned to be written, marked incomplete. Other errors
// pass through, redacted.
func (f *scanFlags) stopped(ctx context.Context, res *report.Result, client *httpx.Client, err error) (*report.Result, func(error) error, error) {
	if ctx.Err() == nil {
		var ee *ExitError
		if errors.As(err, &ee) && ee.Err != nil {
			return nil, nil, &ExitError{Code: ee.Code, Err: errors.New(client.Redactor.String(ee.Err.Error()))}
		}
		return nil, nil, untestable(errors.New(client.Redactor.String(err.Error())))
	}
	res.Incomplete = true
	res.Findings = []finding.Finding{}
	res.NotRun = append(res.NotRun, "scan stopped before any check ran: "+context.Cause(ctx).Error())
	res.Stats = report.Stats{Requests: client.Requests()}
	redactResult(res, client.Redactor)
	settle := func(werr error) error {
		if werr != nil && werr != errFindings {
			return werr
		}
		if interrupted(ctx) != nil {
			return nil // Run turns the interrupt into 130/143
		}
		return untestable(fmt.Errorf("%v before any check ran (the result written is incomplete)", context.Cause(ctx)))
	}
	return res, settle, nil
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

func writeTranscript(path string, entries []httpx.Entry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func unreachable(o *engine.Outcome) bool {
	if len(o.Rows) == 0 {
		return false
	}
	for _, r := range o.Rows {
		if r.Matrix["anonymous"] != "inconclusive" {
			return false
		}
	}
	return len(o.Findings) == 0
}

func parseTarget(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("no target: give a URL or target: in the config")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("target %q is not an http(s) URL", raw)
	}
	if !identity.ValidPort(u.Host) {
		return nil, fmt.Errorf("target %q: the port is not between 1 and 65535", raw)
	}
	return u, nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// whyUnreachable says why no request got a usable answer: a target that
// redirects everything (to a login page) did answer, inconclusively.
func whyUnreachable(target *url.URL, log []httpx.Entry) error {
	redirects, answered := 0, 0
	where := ""
	for _, e := range log {
		if e.Status != 0 {
			answered++
		}
		if e.Status >= 300 && e.Status < 400 {
			redirects++
		}
	}
	if answered > 0 && redirects*2 >= answered {
		where = fmt.Sprintf("target %s answered %d of %d requests with a redirect (a login page?): every verdict is inconclusive; scan the API's own URL, or give an identity the API accepts", target, redirects, answered)
		return errors.New(where)
	}
	if answered > 0 {
		return fmt.Errorf("target %s answered no request usably (throttled, server errors or redirects): every verdict is inconclusive", target)
	}
	return fmt.Errorf("target %s did not answer any request", target)
}
