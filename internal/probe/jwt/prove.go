package jwt

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// target is what every signature check needs: the pass, where the token
// travels and the token itself.
type target struct {
	p   *probe.Pass
	sl  slot
	tok *jose.Token
}

// targetOf returns the pass's JWT, or false when the identity has none.
func targetOf(p *probe.Pass) (*target, bool) {
	sl, tok, ok := find(p.Creds)
	if !ok {
		return nil, false
	}
	return &target{p: p, sl: sl, tok: tok}, true
}

// send tries tok in the identity's slot.
func (t *target) send(ctx context.Context, label, tok string) *probe.Outcome {
	return t.p.Try(ctx, label, t.sl.with(t.p.Creds, tok))
}

// forged is an accepted forgery.
type forged struct {
	o         *probe.Outcome
	token     string
	canary    string
	claim     string
	confirmed bool
}

// claimSets returns the claim changes a forgery carries: first a harmless
// new claim (servers ignore unknown claims, so a forgery is judged on its
// signature alone), then, when the valid answer reflects one of the
// identity's claims, that claim set to the canary — a reflected canary
// proves the server read the forged payload.
func (t *target) reflectedClaim() string {
	if len(t.p.Cal.Accepted) == 0 {
		return ""
	}
	body := string(t.p.Cal.Accepted[0].Body)
	preferred := []string{"sub", "username", "user", "preferred_username", "name", "email", "login", "uid", "user_id", "userId", "account"}
	rank := func(k string) int {
		for i, p := range preferred {
			if strings.EqualFold(k, p) {
				return i
			}
		}
		return len(preferred)
	}
	var keys []string
	for k, v := range t.tok.Claims {
		s, ok := v.(string)
		if !ok || len(s) < 3 || isRegistered(k) {
			continue
		}
		if strings.Contains(body, `"`+s+`"`) || strings.Contains(body, ">"+s+"<") || strings.Contains(body, " "+s+"\n") {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

func isRegistered(k string) bool {
	switch k {
	case "iss", "aud", "exp", "nbf", "iat", "jti", "typ", "type", "token_type", "alg", "kid":
		return true
	}
	return false
}

// attempt sends build's forgery with a harmless canary claim and, when that
// is accepted, reproduces it and tries to confirm it with a reflected canary.
// It returns nil when the forgery is not accepted twice.
func (t *target) attempt(ctx context.Context, label string, build func(set map[string]any) (string, error)) *forged {
	c := canary()
	tok, err := build(map[string]any{"authprobe": c})
	if err != nil {
		return nil
	}
	o := t.send(ctx, label, tok)
	if !o.Accepted() {
		return nil
	}
	again := t.send(ctx, label+" (reproduced)", tok)
	if !again.Accepted() {
		t.p.Note(fmt.Sprintf("%s %s: %s accepted once, not on reproduction (%s)", t.p.Endpoint.Key(), label, label, again.Why))
		return nil
	}
	f := &forged{o: o, token: tok, canary: c}
	if claim := t.reflectedClaim(); claim != "" {
		c2 := canary()
		if tok2, err := build(map[string]any{claim: c2}); err == nil {
			if o2 := t.send(ctx, label+" (reflected canary)", tok2); o2.Accepted() && o2.Reflects(c2) {
				f.o, f.token, f.canary, f.claim, f.confirmed = o2, tok2, c2, claim, true
			}
		}
	}
	return f
}

// rejected sends a control token and reports whether it was refused.
func (t *target) rejected(ctx context.Context, label, tok string) (*probe.Outcome, bool) {
	o := t.send(ctx, label, tok)
	return o, o.Rejected()
}

// report records a proven forgery.
func (t *target) report(rule string, f *forged, msg, control string) {
	fd := t.p.Finding(catalog.New(rule))
	fd.Message = msg
	fd.Confidence = finding.Firm
	proof := fmt.Sprintf("accepted twice (%s)", f.o.Why)
	if f.confirmed {
		fd.Confidence = finding.Confirmed
		proof = fmt.Sprintf("forged claim %q = %q was reflected in the response", f.claim, f.canary)
	}
	fd.Evidence = t.p.Evidence(f.o, proof, control)
	fd.Evidence.Token = t.p.Redactor().Token(f.token)
	t.p.Report(fd)
}
