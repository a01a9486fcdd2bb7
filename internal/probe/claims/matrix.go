package claims

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// day is how far time claims are moved: beyond any sane leeway.
const day = 24 * time.Hour

// claimCase is one row of the matrix: a token the API must refuse.
type claimCase struct {
	rule, label, msg string
	set              map[string]any
	del              []string
	alg              string
	// signerOnly: only a holder of the key can make such a token (the
	// API's own tokens all carry the claim). With a recovered key that is
	// the weak secret again, not a second weakness.
	signerOnly bool
}

// cases builds the matrix for tok. Checks about iss and aud run only when
// the API's own tokens carry them: an API that issues no audience has none
// to validate, and reporting it would be noise.
func cases(tok *jose.Token, c *capability, now time.Time) []claimCase {
	life := int64(900)
	iat, okI := jose.NumericDate(tok.Claims["iat"])
	exp, okE := jose.NumericDate(tok.Claims["exp"])
	if okI && okE && exp.After(iat) {
		life = int64(exp.Sub(iat).Seconds())
	}
	n := now.Unix()
	d := int64(day.Seconds())
	out := []claimCase{
		{rule: "jwt.expired-accepted", label: "exp a day ago", set: map[string]any{"iat": n - d - life, "exp": n - d},
			msg: "a correctly signed token that expired a day ago was accepted"},
	}
	if _, has := tok.Claims["exp"]; has {
		out = append(out, claimCase{rule: "jwt.missing-exp-accepted", label: "no exp", del: []string{"exp"}, signerOnly: true,
			msg: "a correctly signed token without exp was accepted, although the API's tokens carry one"})
	}
	out = append(out,
		claimCase{rule: "jwt.nbf-ignored", label: "nbf in a day", set: map[string]any{"nbf": n + d, "exp": n + d + life},
			msg: "a correctly signed token not valid before tomorrow (nbf) was accepted"},
		claimCase{rule: "jwt.iat-future-accepted", label: "iat in a day", set: map[string]any{"iat": n + d, "exp": n + d + life},
			msg: "a correctly signed token issued tomorrow (iat) was accepted"})
	for _, rc := range []struct{ claim, rule, what string }{
		{"iss", "jwt.iss-not-validated", "issuer"}, {"aud", "jwt.aud-not-validated", "audience"},
	} {
		v, has := tok.Claims[rc.claim]
		if !has {
			continue
		}
		wrong := "https://authprobe.invalid/" + rc.claim
		if _, isList := v.([]any); isList {
			out = append(out, claimCase{rule: rc.rule, label: "wrong " + rc.claim, set: map[string]any{rc.claim: []any{wrong}},
				msg: fmt.Sprintf("a correctly signed token naming another %s (%s %q) was accepted", rc.what, rc.claim, wrong)})
		} else {
			out = append(out, claimCase{rule: rc.rule, label: "wrong " + rc.claim, set: map[string]any{rc.claim: wrong},
				msg: fmt.Sprintf("a correctly signed token naming another %s (%s %q) was accepted", rc.what, rc.claim, wrong)})
		}
		out = append(out, claimCase{rule: rc.rule, label: "no " + rc.claim, del: []string{rc.claim},
			msg: fmt.Sprintf("a correctly signed token without %s was accepted, although the API's tokens name their %s", rc.claim, rc.what)})
	}
	for _, alg := range otherAlgs(tok.Alg(), c) {
		out = append(out, claimCase{rule: "jwt.alg-not-pinned", label: "re-signed " + alg, alg: alg,
			msg: fmt.Sprintf("the token re-signed with the same key under %s instead of %s was accepted", alg, tok.Alg())})
	}
	return out
}

// otherAlgs lists the algorithms the same key can sign besides alg.
func otherAlgs(alg string, c *capability) []string {
	var fam []string
	switch {
	case c.hmacKey != nil && strings.HasPrefix(alg, "HS"):
		fam = []string{"HS256", "HS384", "HS512"}
	case c.priv != nil && (strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")):
		fam = []string{"RS256", "RS384", "RS512", "PS256"}
	}
	var out []string
	for _, a := range fam {
		if a != alg {
			out = append(out, a)
		}
	}
	return out
}

// matrix runs the claim-validation matrix on the endpoint, once, with the
// first identity that has a signing capability. A re-signed token must be
// accepted and a wrong-key token refused first; each accepted case is
// reproduced and its wrong-key twin must be refused.
func (f *family) matrix(ctx context.Context, p *probe.Pass) {
	if forgery.Broken(p) {
		return
	}
	t, ok := forgery.TargetOf(p)
	if !ok {
		return
	}
	c := f.of(p.Env).capFor(p, t.Tok)
	if c == nil || !p.First("jwt.claims|"+p.Endpoint.Key()) {
		return
	}
	// Baseline: the token re-signed unchanged must pass, or the key does
	// not sign for this endpoint; every positive below is reproduced.
	base, err := c.sign(t.Tok, map[string]any{"authprobe": forgery.Canary()}, nil, "", false)
	if err != nil {
		return
	}
	if o := t.Send(ctx, "re-signed with "+c.origin, base); !o.Accepted() {
		p.Note(fmt.Sprintf("%s: a token re-signed with %s was not accepted (%s); claim checks skipped", p.Endpoint.Key(), c.origin, o.Why))
		return
	}
	wrong, err := c.sign(t.Tok, map[string]any{"authprobe": forgery.Canary()}, nil, "", true)
	if err != nil {
		return
	}
	if ctl, ok := t.Rejected(ctx, "re-signed with a wrong key", wrong); !ok {
		p.Note(fmt.Sprintf("%s: a token signed with a wrong key was not refused (%s); claim checks skipped", p.Endpoint.Key(), ctl.Why))
		return
	}
	done := map[string]bool{}
	for _, cc := range cases(t.Tok, c, time.Now()) {
		if ctx.Err() != nil {
			return
		}
		if done[cc.rule] {
			continue
		}
		if runCase(ctx, t, c, cc) {
			done[cc.rule] = true
		}
	}
}

// runCase sends one case and reports it when accepted twice with its
// wrong-key control refused.
func runCase(ctx context.Context, t *forgery.Target, c *capability, cc claimCase) bool {
	set := map[string]any{"authprobe": forgery.Canary()}
	for k, v := range cc.set {
		set[k] = v
	}
	tok, err := c.sign(t.Tok, set, cc.del, cc.alg, false)
	if err != nil {
		return false
	}
	o := t.Send(ctx, cc.label, tok)
	if !o.Accepted() {
		return false
	}
	if again := t.Send(ctx, cc.label+" (reproduced)", tok); !again.Accepted() {
		return false
	}
	ctlTok, err := c.sign(t.Tok, set, cc.del, cc.alg, true)
	if err != nil {
		return false
	}
	if ctl, ok := t.Rejected(ctx, cc.label+", wrong key", ctlTok); !ok {
		t.P.Note(fmt.Sprintf("%s: %s accepted, but so was its wrong-key twin (%s)", t.P.Endpoint.Key(), cc.label, ctl.Why))
		return false
	}
	t.ReportWith(cc.rule, &forgery.Forged{O: o, Token: tok}, cc.msg+fmt.Sprintf(" (signed with %s)", c.origin),
		"the same token signed with a wrong key was refused, and a token re-signed unchanged was accepted",
		func(fd *finding.Finding) {
			if cc.signerOnly && c.recovered {
				fd.Severity = finding.Low
				fd.Message += "; review: the key was recovered (jwt.weak-secret), with which anyone signs a token with any expiry; once the key is strong, only the API's own signer could make a token without one, and every token it issues carries one"
			}
		})
	return true
}
