// Package ratelimit holds the check that failed authentication is
// throttled: a bounded series of invalid API keys on every key-gated
// endpoint, and of wrong passwords on each identity's configured login
// request, must meet a 429, a lockout, a Retry-After or RateLimit header, or
// a slowdown. It runs last, so that a target that starts throttling does not
// blind the other checks.
package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/probe"
)

const rule = "apikey.no-bruteforce-protection"

// DefaultAttempts is used when the settings give none.
const DefaultAttempts = 30

// maxAttempts caps --bruteforce-attempts: the check proves a missing limit,
// it does not guess credentials.
const maxAttempts = 500

// randomKey is the check that proves any key gets in: guessing keys is
// moot where it did.
const randomKey = "apikey.invalid-accepted"

// Checks is the brute-force check; register it last.
func Checks() []probe.Check {
	return []probe.Check{
		{ID: rule, Scope: probe.PerScan, Rules: []string{rule, ruleQuery}, Run: run, Requires: []string{randomKey}, GateRules: []string{rule}, RefusalGates: []string{rule},
			Doc: "bounded series of invalid keys per key-gated endpoint and of wrong passwords per login, then looks for throttling"},
	}
}

func attempts(p *probe.Pass) int {
	n := p.Settings().BruteforceAttempts
	switch {
	case n <= 0:
		return DefaultAttempts
	case n > maxAttempts:
		return maxAttempts
	}
	return n
}

// run sends the series of every target, a few targets at a time.
func run(ctx context.Context, p *probe.Pass) {
	n := attempts(p)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	keys := keyTargets(p)
	decided, undecided := 0, ""
	if len(keys) == 0 {
		// No route of the matrix showed a key gate: the routes the code or
		// spec says check one are tried on an object nobody has, one
		// series per gate. Where the matrix showed one, its series speaks
		// for the key check.
		keys = keyedTargets(p)
		n := len(keys)
		keys = byGate(ctx, p, keys, &undecided)
		if n > 0 && len(keys) == 0 {
			p.Undecided(family, "no key-guessing series could be sent ("+undecided+")")
		}
	}
	var mu sync.Mutex
	for _, t := range keys {
		g.Go(func() error {
			v := t.s.run(gctx, n)
			conclude(p, t.ep, t.id, t.s, v, n, t.also...)
			if t.after != nil {
				t.after(v)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case v.protected || v.why == "" && v.sent == n && v.control != nil:
				decided++
			case undecided == "" && v.why != "":
				undecided = t.ep.String() + ": " + v.why
			}
			return nil
		})
	}
	logins := loginTargets(p)
	configured := map[string]bool{}
	for _, t := range logins {
		configured[t.ep.Method+" "+t.ep.Path] = true
	}
	logins = append(logins, discoveredLogins(p, configured)...)
	logins = append(logins, changeTargets(p)...)
	loginsDecided, loginUndecided := 0, ""
	for _, t := range logins {
		g.Go(func() error {
			v := t.s.run(gctx, n)
			conclude(p, t.ep, t.id, t.s, v, n)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case v.protected || v.why == "" && v.sent == n && v.control != nil:
				loginsDecided++
			case loginUndecided == "" && v.why != "":
				loginUndecided = t.ep.String() + ": " + v.why
			}
			return nil
		})
	}
	_ = g.Wait()
	if len(logins) > 0 && loginsDecided == 0 && ctx.Err() == nil {
		// Every login series was inconclusive (a login that stopped
		// letting anyone in, validation answers before the credential):
		// password guessing was judged nowhere.
		p.Undecided(family, "no login brute-force series could decide ("+loginUndecided+")")
	}
	if len(keys) > 0 && decided == 0 && ctx.Err() == nil {
		// Every key series was inconclusive: guessing keys was not judged
		// anywhere, and the grade must not say it was.
		why := "no key-guessing series could decide"
		if undecided != "" {
			why += " (" + undecided + ")"
		}
		p.Undecided(family, why)
	}
}

// family is the coverage family of key guessing.
const family = "apikey"

// conclude reports an unprotected series, or notes why there is no
// finding.
// also are routes behind the same gate (gate.go), named as its instances.
func conclude(p *probe.Pass, ep *finding.Endpoint, id string, s series, v verdict, n int, also ...*finding.Endpoint) {
	where := ep.String()
	switch {
	case v.protected:
		p.Note(fmt.Sprintf("%s: %s are throttled: %s", where, s.what, v.why))
		return
	case v.why != "":
		p.Note(fmt.Sprintf("%s: brute-force check inconclusive: %s", where, v.why))
		return
	case v.sent < n || v.control == nil:
		return
	}
	pass := &probe.Pass{Env: p.Env}
	f := catalog.New(rule)
	f.Endpoint = ep
	f.Identity = id
	f.Confidence = s.confidence()
	after := "the valid credential still worked afterwards"
	if s.noAccount {
		after = "a fresh made-up username was still answered alike afterwards"
	}
	if v.ownLimit != "" {
		after = v.ownLimit
	}
	f.Message = fmt.Sprintf("%d failed attempts (%s) in %v were all answered as ordinary refusals: no 429, no lockout, no Retry-After or RateLimit header, and %s",
		n, s.what, v.took.Round(time.Millisecond), after)
	if s.keyBits >= strongKey {
		f.Severity = finding.Low
		f.Message += fmt.Sprintf("; the key looks generated (about %.0f random bits), so guessing it online is impractical even unthrottled: review", s.keyBits)
	}
	if len(also) > 0 {
		f.Message += fmt.Sprintf("; %d other routes refuse a made-up key alike (the same gate), so the series was not repeated there", len(also))
		instances(&f, also)
	}
	f.Evidence = pass.Evidence(v.last, fmt.Sprintf("attempt %d of %d answered %d like the first", n, n, v.last.Sample.Status), s.controlText(v))
	p.Report(f)
}
