package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/oracle"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// Timing test parameters: pairs per round, the p-value a round must beat,
// and the effect both rounds must show (a difference that is large in
// absolute terms and relative to the faster answer).
const (
	timingPairs  = 15
	timingAlpha  = 0.001
	timingMinGap = 5 * time.Millisecond
	timingRatio  = 1.5
)

func runEnumeration(ctx context.Context, p *probe.Pass) {
	all := accounts(p)
	seen := map[string]bool{}
	for _, a := range all {
		if seen[a.method+" "+a.url] {
			continue
		}
		seen[a.method+" "+a.url] = true
		enumerateLogin(ctx, p, a)
	}
	if !p.AllowWrites() {
		return
	}
	for _, a := range throwaways(p) {
		if rq := flowFor(p, probe.RoleResetRequest, a.url); rq != nil && a.userField != "" {
			enumerateReset(ctx, p, a, rq)
		}
		break
	}
}

// answer is one failed attempt, its body with the submitted name masked.
type answer struct {
	req    *httpx.Request
	status int
	body   []byte
	took   time.Duration
}

func (x answer) usable() bool { return x.status != 0 && x.status != 429 && x.status < 500 }

// volatile are runs that differ between any two answers (ids, times).
var volatile = regexp.MustCompile(`[0-9a-fA-F]{8,}|[0-9]+`)

func normalise(body []byte, name string) []byte {
	b := bytes.ReplaceAll(body, []byte(name), []byte("{user}"))
	return volatile.ReplaceAll(b, []byte("0"))
}

// enumerateLogin compares failed logins of the account with those of a
// made-up one: answers first (2 each), timing on throwaway accounts.
func enumerateLogin(ctx context.Context, p *probe.Pass, a *account) {
	ghost := madeUp(a.user)
	wrong := newPassword()
	try := func(user string) answer {
		req := a.loginRequest(user, wrong)
		resp := send(ctx, p, req)
		return answer{req: req, status: resp.Status, body: normalise(resp.Body, user), took: resp.Duration}
	}
	var real, fake []answer
	for range 2 {
		real = append(real, try(a.user))
		fake = append(fake, try(ghost))
	}
	if differ(p, a, real, fake, a.endpoint, "login") {
		return
	}
	if !a.id.Throwaway {
		return
	}
	if timing(ctx, p, a, try, ghost) {
		return
	}
}

// differ reports a difference in the answers when each side is
// consistent and the sides differ.
func differ(p *probe.Pass, a *account, real, fake []answer, ep *finding.Endpoint, what string) bool {
	for i, x := range append(append([]answer(nil), real...), fake...) {
		// A wrong password that is served (not a refusal of any shape: a
		// 200 {"success": false} is one) means the login did not refuse.
		// A made-up user's answer may be served when it logs nobody in
		// (an empty 204 "No user found"): that is the tell itself.
		served := what == "login" && oracle.Served(oracle.NewSample(x.status, nil, x.body, nil))
		if !x.usable() || served && (i < len(real) || !loggedNobodyIn(a, x)) {
			return false
		}
	}
	same := func(xs []answer) bool {
		for _, x := range xs[1:] {
			if x.status != xs[0].status || !bytes.Equal(x.body, xs[0].body) {
				return false
			}
		}
		return true
	}
	if !same(real) || !same(fake) {
		return false
	}
	r, f := real[0], fake[0]
	var how string
	switch {
	case r.status != f.status:
		how = fmt.Sprintf("status %d for the existing account, %d for a made-up one", r.status, f.status)
	case !bytes.Equal(r.body, f.body):
		how = fmt.Sprintf("%d-byte answer %q for the existing account, %d-byte %q for a made-up one", len(r.body), clip(r.body), len(f.body), clip(f.body))
	default:
		return false
	}
	report(p, RuleEnumeration, ep, a.id.Name,
		fmt.Sprintf("the %s request tells an existing account (%s) from a made-up one: %s", what, a.user, how),
		evidence(p, f.req, f.status, how, "each side answered the same way twice"), finding.Confirmed)
	return true
}

func clip(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// timing runs two rounds of interleaved failed logins; both must show the
// existing account answering significantly and substantially slower.
func timing(ctx context.Context, p *probe.Pass, a *account, try func(string) answer, ghost string) bool {
	var last answer
	for round := range 2 {
		var real, fake []time.Duration
		for i := range timingPairs {
			// Alternate which goes first so drift hits both sides alike.
			order := []string{a.user, ghost}
			if i%2 == 1 {
				order = []string{ghost, a.user}
			}
			for _, u := range order {
				x := try(u)
				if !x.usable() || x.status/100 == 2 {
					return false
				}
				if u == a.user {
					real = append(real, x.took)
				} else {
					fake = append(fake, x.took)
					last = x
				}
			}
		}
		pv := slower(real, fake)
		mr, mf := median(real), median(fake)
		if pv >= timingAlpha || mr-mf < timingMinGap || float64(mr) < timingRatio*float64(mf) {
			return false
		}
		if round == 1 {
			how := fmt.Sprintf("median %v for the existing account against %v for a made-up one over %d interleaved pairs, twice (one-sided Mann-Whitney p=%.1g)",
				mr.Round(time.Millisecond), mf.Round(time.Millisecond), timingPairs, pv)
			report(p, RuleEnumTiming, a.endpoint, a.id.Name,
				fmt.Sprintf("failed logins take longer for an existing account (%s): %s", a.user, how),
				evidence(p, last.req, last.status, how, "status and message were the same for both"), finding.Firm)
		}
	}
	return true
}

// enumerateReset compares reset requests for the throwaway account and a
// made-up one.
func enumerateReset(ctx context.Context, p *probe.Pass, a *account, rq *flow) {
	ghost := madeUp(a.user)
	try := func(user string) answer {
		req := rq.request(identity.Body{}.With(a.userField, "{username}"), vars{"username": user}, identity.Creds{})
		resp := send(ctx, p, req)
		return answer{req: req, status: resp.Status, body: normalise(resp.Body, user), took: resp.Duration}
	}
	var real, fake []answer
	for range 2 {
		real = append(real, try(a.user))
		fake = append(fake, try(ghost))
	}
	differ(p, a, real, fake, rq.endpoint, "password reset")
}

// loggedNobodyIn: a served answer to a made-up user's login carries no
// credential — an empty body, or one without the token the login issues.
func loggedNobodyIn(a *account, x answer) bool {
	if len(bytes.TrimSpace(x.body)) == 0 {
		return true
	}
	path := a.id.Login.Token
	if path == "" {
		return false // a cookie login: the answer's cookies are not kept here
	}
	var v any
	if json.Unmarshal(x.body, &v) != nil {
		return true // not JSON: no token at the login's path
	}
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return true
		}
		v = m[k]
	}
	t, _ := v.(string)
	return t == ""
}
