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

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/probe"
)

// scanFlags are the scan command's options.
type scanFlags struct {
	out         outputFlags
	config      string
	spec        string
	source      string
	endpoints   []string
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
	bruteforce  int
	callback    string
	transcript  string
	fast        bool
}

func newScanCmd(s IO) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan URL",
		Short: "Probe a running API with forged, tampered, missing and swapped credentials",
		Long: `Probe a running API and prove each authentication weakness with a
reproducible request. Endpoints come from --spec, --endpoint and the config's
endpoints; identities from --identity and the config. Exit codes: 0 nothing
at or above --fail-on, 1 findings at or above it, 2 usage or config error,
3 could not test (target unreachable, identity preflight failed).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), s, cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	f.out.register(cmd)
	fl.StringVarP(&f.config, "config", "c", "", "YAML config file")
	fl.StringVar(&f.spec, "spec", "", "OpenAPI 3.x or Swagger 2.0 file or URL")
	fl.StringVar(&f.source, "source", "", "Flask source directory: routes come from the code and findings are pinned to their lines")
	fl.StringArrayVar(&f.endpoints, "endpoint", nil, `endpoint to scan, "METHOD /path" (repeatable)`)
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
	fl.DurationVar(&f.crackTime, "crack-time", 20*time.Second, "time budget for recovering each token's secret offline")
	fl.IntVar(&f.bruteforce, "bruteforce-attempts", 30, "failed attempts sent before expecting throttling")
	fl.StringVar(&f.transcript, "transcript", "", "write every request sent (method, URL, status, time; credentials redacted) to FILE as JSON lines")
	fl.BoolVar(&f.fast, "fast", false, "confirm a weakness proven on a gate's representative on a sample of its other endpoints only (the rest are listed as inferred)")
	fl.StringVar(&f.callback, "callback", "", "host:port the target can reach authprobe on (jku/x5u key set checks); default only for loopback targets")
	return cmd
}

func runScan(ctx context.Context, s IO, cmd *cobra.Command, args []string, f *scanFlags) error {
	started := time.Now()
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
	targetRaw := cfg.Target
	if len(args) == 1 {
		targetRaw = args[0]
	}
	target, err := parseTarget(targetRaw)
	if err != nil {
		return usageErr("%v", err)
	}
	ids, err := mergeIdentities(cfg.Identities, f.identities)
	if err != nil {
		return usageErr("%v", err)
	}
	checks, err := engine.Select(engine.Registry(), f.checks, f.skip)
	if err != nil {
		return usageErr("%v", err)
	}
	client, err := httpx.New(httpx.Options{
		Timeout: f.timeout, Rate: f.rate, Concurrency: f.concurrency,
		Scope: []string{target.Host}, Retries: 2,
	})
	if err != nil {
		return usageErr("%v", err)
	}
	client.Redactor.Show = f.out.showSecrets
	for _, id := range ids {
		client.Redactor.Add(id.Base.Secrets()...)
	}
	if f.budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, f.budget, errors.New("time budget spent"))
		defer cancel()
	}
	inv, err := buildInventory(ctx, cfg, f, target)
	if err != nil {
		return err
	}
	src, err := loadSource(ctx, cfg, f, inv)
	if err != nil {
		return err
	}
	if f.transcript != "" {
		defer func() {
			if err := writeTranscript(f.transcript, client.Transcript()); err != nil {
				fmt.Fprintf(s.Err, "authprobe: transcript: %v\n", err)
			}
		}()
	}
	res := newResult(target.String(), started)
	stream := f.out.streamer(res)
	prog := newProgress(s.Err)
	outcome, err := engine.Run(ctx, engine.Options{
		Target: target, Client: client, Inventory: inv, Identities: ids, Checks: checks,
		AllowWrites: f.allowWrites, Parallel: f.concurrency, OnFinding: stream,
		Settings: settings(cfg, f), Progress: prog.update, Allow: engine.RuleFilter(f.checks, f.skip),
		SourceGates: src.gates, Fast: f.fast,
	})
	prog.done()
	var pf *engine.PreflightError
	switch {
	case errors.As(err, &pf):
		return untestable(err)
	case err != nil:
		return untestable(err)
	}
	if unreachable(outcome) {
		return untestable(fmt.Errorf("target %s did not answer any request", target))
	}
	fill(res, outcome, inv, client.Requests(), started)
	src.join(res, outcome, ids)
	return f.out.finish(s, res)
}

func settings(cfg *Config, f *scanFlags) probe.Settings {
	st := probe.Settings{
		JWTSecret: []byte(cfg.JWT.Secret), JWTKeyFile: cfg.path(cfg.JWT.KeyFile),
		CrackTime: f.crackTime, Wordlists: f.wordlists, BruteforceAttempts: f.bruteforce,
		Policy: cfg.Policy, Callback: f.callback,
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
	return u, nil
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
