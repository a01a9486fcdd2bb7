package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/retest"
	"github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/static"
	"github.com/authprobe/authprobe/internal/transport"
)

// fixReplayer builds the dynamic proof from the scan's identities: every
// identity logs in to the patched copy; retest replays each finding that
// carries its proving request; the findings without one (a proof that
// needed a cracked secret, a multi-step flow) are looked for in a fresh
// scan of the patched copy (the scan command, run in process). Nil without
// --run.
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
	ids, err := mergeIdentities(cfg.Identities, f.identities)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return func(ctx context.Context, at fix.Running, fs []finding.Finding) (map[string]fix.Replayed, map[string]error, error) {
		target, err := url.Parse(at.URL)
		if err != nil {
			return nil, nil, fmt.Errorf("dynamic proof: %w", err)
		}
		client, err := httpx.New(httpx.Options{Timeout: f.timeout, Rate: f.rate, Concurrency: 1, Scope: []string{target.Host}, Retries: 2})
		if err != nil {
			return nil, nil, fmt.Errorf("dynamic proof: %w", err)
		}
		sess := &identity.Session{Client: client, Target: target}
		inferTransport(ctx, client, sess, at.Dir, served, ids)
		logins := map[string]error{}
		for _, id := range ids {
			c, err := id.Creds(ctx, sess)
			if err != nil {
				logins[id.Name] = err
				continue
			}
			client.Redactor.Add(c.Secrets()...)
			if err := stillServed(ctx, client, at.URL, id.Name, c, served, placesOf(fs)); err != nil {
				logins[id.Name] = err
			}
		}
		got := map[string]fix.Replayed{}
		var rescan, replay []finding.Finding
		for _, x := range fs {
			if policyRules[x.Rule] && x.Source != "static" {
				rescan = append(rescan, x)
			} else {
				replay = append(replay, x)
			}
		}
		out, _ := retest.Run(ctx, retest.Options{Client: client, Session: sess, Identities: ids}, replay)
		for _, r := range out {
			switch r.Status {
			case retest.Fixed:
				got[r.Finding.Fingerprint] = fix.Replayed{Status: fix.Fixed, Why: r.Why}
			case retest.StillOpen:
				got[r.Finding.Fingerprint] = fix.Replayed{Status: fix.StillOpen, Why: r.Why}
			default:
				if strings.HasPrefix(r.Why, "no replayable proof") {
					if r.Finding.Source != "static" {
						rescan = append(rescan, r.Finding)
					}
					continue
				}
				got[r.Finding.Fingerprint] = fix.Replayed{Status: fix.Failed, Why: "inconclusive: " + client.Redactor.String(r.Why)}
			}
		}
		if len(rescan) > 0 && len(logins) == 0 {
			if err := rescanPatched(ctx, f, at, rescan, got); err != nil {
				for _, x := range rescan {
					got[x.Fingerprint] = fix.Replayed{Status: fix.Failed, Why: err.Error()}
				}
			}
		}
		return got, logins, nil
	}, nil
}

// rescanPatched scans the patched copy with the scan's config and its
// source, and judges each finding by whether the same rule shows again at
// one of its places: still open, else fixed. The owner knows the secret a
// patch moved into the environment, so the scan is given it.
func rescanPatched(ctx context.Context, f *fixFlags, at fix.Running, fs []finding.Finding, got map[string]fix.Replayed) error {
	dir, err := os.MkdirTemp("", "authprobe-fix-scan-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "result.json")
	args := []string{"scan", at.URL, "--source", at.Dir, "--fail-on", "none", "-q", "-o", out,
		"--rate", strconv.FormatFloat(f.rate, 'f', -1, 64), "--timeout", f.timeout.String(), "--crack-time", f.crackTime.String()}
	if f.config != "" {
		args = append(args, "-c", f.config)
	}
	for _, id := range f.identities {
		args = append(args, "--identity", id)
	}
	if at.JWTSecret != "" {
		args = append(args, "--jwt-secret", at.JWTSecret)
	}
	if f.allowWrites {
		args = append(args, "--allow-writes")
	}
	var stderr bytes.Buffer
	if code := Run(ctx, args, nil, io.Discard, &stderr); code != ExitOK && code != ExitFindings {
		return fmt.Errorf("rescan of the patched copy: exit %d: %s", code, strings.TrimSpace(stderr.String()))
	}
	res, err := report.ReadJSON(out)
	if err != nil {
		return fmt.Errorf("rescan of the patched copy: %w", err)
	}
	for _, x := range fs {
		got[x.Fingerprint] = fix.Replayed{Status: fix.Fixed, Why: "a scan of the patched copy no longer reports it"}
		if why := rescanBlind(res, x, f.allowWrites); why != "" {
			got[x.Fingerprint] = fix.Replayed{Status: fix.NotRun, Why: why}
		}
		for _, y := range res.Findings {
			if y.Rule == x.Rule && samePlace(x, y) {
				got[x.Fingerprint] = fix.Replayed{Status: fix.StillOpen, Why: "a scan of the patched copy reports it again"}
				break
			}
		}
	}
	return nil
}

// samePlace reports whether two findings of one rule share an endpoint, or
// for findings about no endpoint (token hygiene) an identity; either may
// be the representative or an instance. The identity that proved a finding
// at one endpoint does not make it the same weakness at another.
func samePlace(a, b finding.Finding) bool {
	places := func(f finding.Finding) []string {
		var out []string
		if f.Endpoint != nil {
			out = append(out, f.Endpoint.String())
		}
		if f.Identity != "" && f.Endpoint == nil {
			out = append(out, "id:"+f.Identity)
		}
		for _, in := range f.Instances {
			if in.Endpoint != nil {
				out = append(out, in.Endpoint.String())
			} else if in.Identity != "" {
				out = append(out, "id:"+in.Identity)
			}
		}
		if len(out) == 0 {
			out = append(out, "api")
		}
		return out
	}
	pb := places(b)
	for _, p := range places(a) {
		for _, q := range pb {
			if p == q {
				return true
			}
		}
	}
	return false
}

// rescanBlind says why the rescan cannot tell whether a finding is gone:
// its check family did not test the finding's endpoint, or the checks that
// prove it send writes and --allow-writes was not given. Absence from a
// scan that could not look is no proof.
func rescanBlind(res *report.Result, x finding.Finding, allowWrites bool) string {
	if loginRules[x.Rule] {
		return throttleSeen(res, x)
	}
	family, _, _ := strings.Cut(x.Rule, ".")
	write := family == "account" || writeRules[x.Rule]
	if x.Endpoint != nil && !loginRules[x.Rule] {
		switch x.Endpoint.Method {
		case "GET", "HEAD", "OPTIONS":
		default:
			write = true
		}
	}
	if write && !allowWrites {
		return "the checks that prove it send writes: give --allow-writes to rescan it"
	}
	if family == "session" || family == "account" {
		return ""
	}
	for _, c := range res.Coverage {
		if c.Family != family {
			continue
		}
		if c.Tested == 0 {
			return "the rescan's " + family + " checks tested nothing"
		}
		for _, sk := range c.Skipped {
			if sk.Endpoint != nil && x.Endpoint != nil && *sk.Endpoint == *x.Endpoint {
				return "the rescan skipped " + x.Endpoint.String() + ": " + sk.Reason
			}
		}
		return ""
	}
	if x.Endpoint == nil {
		return "" // token hygiene and secrets: judged from the tokens issued
	}
	return "the rescan has no coverage of the " + family + " checks"
}

// writeRules are the rules only checks that send writes can prove (the
// session lifecycle and write checks run only with --allow-writes).
var writeRules = map[string]bool{
	"session.logout-not-revoked": true, "session.password-change-not-revoked": true,
	"session.access-at-refresh": true, "session.refresh-as-access": true,
	"authz.bola-write": true, "authz.mass-assignment": true,
}

// throttleSeen: the rescan's brute-force check must have run on the
// finding's endpoints and seen them throttled (its note says so); absence
// of the finding alone could be a series that never ran.
func throttleSeen(res *report.Result, x finding.Finding) string {
	places := placesOf([]finding.Finding{x})
	for _, w := range res.Warnings {
		ep, rest, ok := strings.Cut(w, ": ")
		if ok && places[ep] && strings.Contains(rest, " are throttled: ") {
			return ""
		}
	}
	return "the rescan's brute-force check did not see the throttling of " + strings.Join(slices.Sorted(maps.Keys(places)), ", ")
}

// policyRules are proven by comparing identities under the scan's
// policy: replayed as the one identity, a fixed route refuses it as it
// refuses that identity's own credential, which tells nothing; the rescan
// compares again.
var policyRules = map[string]bool{"authz.bfla": true, "authz.bfla-method": true}

// loginRules are proven by logins with wrong passwords, which a scan sends
// without --allow-writes, whatever the login's method.
var loginRules = map[string]bool{"apikey.no-bruteforce-protection": true}

// maxServedChecks bounds the requests per identity of the access check.
const maxServedChecks = 10

// stillServed checks that an identity that logs in can still use its
// credential: each GET endpoint (without path parameters) the scan saw it
// accepted at must not refuse it now. A patch that verifies so strictly
// that genuine tokens fail breaks the identity as surely as a failed login.
// Endpoints anyone could call, and those the patched findings are about
// (closing them is the point), prove nothing and are left out.
func stillServed(ctx context.Context, client *httpx.Client, base, name string, c identity.Creds, served []report.Endpoint, patched map[string]bool) error {
	n := 0
	for _, e := range served {
		if e.Method != "GET" || strings.Contains(e.Path, "{") || e.Matrix[name] != "accepted" ||
			e.Matrix["anonymous"] == "accepted" || patched[e.Method+" "+e.Path] {
			continue
		}
		if n++; n > maxServedChecks {
			break
		}
		req := &httpx.Request{Method: "GET", URL: strings.TrimRight(base, "/") + e.Path, Header: http.Header{}, Identity: name}
		if err := c.Apply(req); err != nil {
			return err
		}
		resp := client.Do(ctx, req)
		if resp.Err == nil && (resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden) {
			return fmt.Errorf("GET %s refuses its credential now (%d); the scan saw it accepted", e.Path, resp.Status)
		}
	}
	return nil
}

// placesOf returns the endpoints the findings are about ("GET /x").
func placesOf(fs []finding.Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		if f.Endpoint != nil {
			out[f.Endpoint.String()] = true
		}
		for _, in := range f.Instances {
			if in.Endpoint != nil {
				out[in.Endpoint.String()] = true
			}
		}
	}
	return out
}

// inferTransport decides, as the scan does, where a login's token travels
// when the config does not say (use:): the scheme a refusal or the source
// names, tried on the endpoints the scan saw. Without it a "Token" API
// would refuse every identity's Bearer header and look broken.
func inferTransport(ctx context.Context, client *httpx.Client, sess *identity.Session, dir string, served []report.Endpoint, ids []*identity.Identity) {
	inv := &inventory.Inventory{}
	for _, e := range served {
		inv.Endpoints = append(inv.Endpoints, inventory.Endpoint{Method: e.Method, Path: e.Path})
	}
	var hints []transport.Candidate
	if proj, _, err := static.Analyze(ctx, dir); err == nil {
		for _, h := range source.TokenHints(proj) {
			hints = append(hints, transport.Candidate{Use: h.Use, Why: "the source's " + h.Why})
		}
	}
	transport.Infer(ctx, transport.Options{Client: client, Session: sess, Inventory: inv, Identities: ids, Hints: hints})
}
