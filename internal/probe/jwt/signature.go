// Package jwt holds the live checks of how an API verifies JWT signatures —
// forged, tampered, stripped and unsigned tokens, tokens from the query
// string — and the hygiene of the tokens the API issues.
package jwt

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

// notVerified is the rule that gates the rest of the family.
const notVerified = forgery.NotVerified

// Checks are the JWT checks, in the order they must run: the first gates
// the rest of the signature family on an endpoint.
func Checks() []probe.Check {
	return []probe.Check{
		{ID: notVerified, Scope: probe.PerEndpoint, Rules: []string{notVerified}, Run: runNotVerified, Verifier: true, GateRules: []string{notVerified},
			Doc: "changes the payload, keeps the original signature"},
		{ID: "jwt.invalid-signature-accepted", Scope: probe.PerEndpoint, Rules: []string{"jwt.invalid-signature-accepted"}, Run: runRandomSignature, Verifier: true, GateRules: []string{"jwt.invalid-signature-accepted"}, Requires: []string{notVerified},
			Doc: "keeps header and payload, replaces the signature with random bytes"},
		{ID: "jwt.signature-stripped", Scope: probe.PerEndpoint, Rules: []string{"jwt.signature-stripped"}, Run: runStripped, Verifier: true, GateRules: []string{"jwt.signature-stripped"}, Requires: []string{notVerified},
			// A forged payload with no signature is accepted by a verifier
			// that does not check signatures at all as well as by one that
			// skips an empty one: one request tells both from a strict
			// verifier, so the payload-only forgery is not a discriminator.
			Discriminates: &probe.Discriminator{Tokens: probe.AnyToken, Cheap: true, Rank: 1, Invalid: true},
			Doc:           "forged payload with an empty, missing or null signature"},
		{ID: "jwt.alg-none", Scope: probe.PerEndpoint, Rules: []string{"jwt.alg-none"}, Run: runAlgNone, Verifier: true, GateRules: []string{"jwt.alg-none"}, Requires: []string{notVerified},
			Discriminates: &probe.Discriminator{Tokens: probe.AnyToken, Cheap: true, Rank: 2},
			Doc:           "forged payload declared alg none/None/NONE/nOnE, with and without a signature"},
		{ID: "jwt.blank-secret", Scope: probe.PerEndpoint, Rules: []string{"jwt.blank-secret"}, Run: runBlankSecret, Verifier: true, GateRules: []string{"jwt.blank-secret"}, Requires: []string{notVerified},
			Doc: "forged payload signed HS256 with an empty key"},
		{ID: "jwt.token-in-query", Scope: probe.PerEndpoint, Rules: []string{"jwt.token-in-query"}, Run: runQuery, Verifier: true, GateRules: []string{"jwt.token-in-query"}, Requires: []string{notVerified},
			Doc: "the identity's token moved from its header to the query string"},
		{ID: "jwt.hygiene", Scope: probe.PerIdentity, Rules: hygieneRules, Run: runHygiene, GateRules: hygieneRules,
			Doc: "audits each identity's token: expiry, lifetime, sensitive claims, signature"},
	}
}

// start returns the target when the check applies: the identity carries a
// JWT, the check has not run on the endpoint with another identity, and
// the signature is not already proven unverified there.
func start(p *probe.Pass, id string) (*forgery.Target, bool) {
	t, ok := forgery.TargetOf(p)
	if !ok || !p.First(id+"|"+p.Endpoint.Key()) {
		return nil, false
	}
	if id != notVerified && p.ResultOf(notVerified, p.Endpoint) {
		return nil, false
	}
	return t, true
}

func runNotVerified(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, notVerified)
	if !ok {
		return
	}
	f := t.Attempt(ctx, "tampered payload, original signature", t.Tok.Tampered)
	if f == nil {
		return
	}
	t.Report(notVerified, f,
		fmt.Sprintf("a token whose payload was changed while the original signature was kept was accepted (sent in %s)", t.Slot.Where()),
		"a malformed token and a request without credentials are refused (calibration)")
}

func runRandomSignature(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, "jwt.invalid-signature-accepted")
	if !ok {
		return
	}
	tok := t.Tok.RandomSignature(rand.Reader)
	o := t.Send(ctx, "random signature", tok)
	if !o.Accepted() {
		return
	}
	again := t.Send(ctx, "another random signature", t.Tok.RandomSignature(rand.Reader))
	if !again.Accepted() {
		return
	}
	// Control: the same random signature over a changed payload. If that
	// is accepted too the signature is simply not verified, which the
	// first check reports; here the payload is checked but the signature
	// is not compared against it.
	bad, err := t.Tok.Tampered(map[string]any{"authprobe": forgery.Canary()})
	if err != nil {
		return
	}
	badTok, _ := jose.Parse(bad)
	if badTok == nil {
		return
	}
	if ctl, ok := t.Rejected(ctx, "changed payload, random signature", badTok.RandomSignature(rand.Reader)); !ok {
		p.Note(fmt.Sprintf("%s: random signatures accepted but the control was not refused (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	t.Report("jwt.invalid-signature-accepted", &forgery.Forged{O: o, Token: tok},
		"the identity's token with its signature replaced by random bytes was accepted; the same random signature over a changed payload was refused, so the signature is not compared (typically a cache keyed on header and payload, or a partial comparison)",
		"a changed payload with a random signature was refused")
}

func runStripped(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, "jwt.signature-stripped")
	if !ok {
		return
	}
	for i, v := range t.Tok.Stripped() {
		// An all-zero ECDSA signature is r = s = 0: the psychic-signature
		// check (probe/keys) reports it under its own rule.
		if v.Name == "zero-signature" && strings.HasPrefix(t.Tok.Alg(), "ES") {
			continue
		}
		var name string
		f := t.Attempt(ctx, "stripped signature", func(set map[string]any) (string, error) {
			forgedTok, err := t.Tampered(set)
			if err != nil {
				return "", err
			}
			v := forgedTok.Stripped()[i]
			name = v.Name
			return v.Token, nil
		})
		if f == nil {
			continue
		}
		ctlTok, err := t.Tampered(map[string]any{"authprobe": forgery.Canary()})
		if err != nil {
			return
		}
		if ctl, ok := t.Rejected(ctx, "forged payload, random signature", ctlTok.RandomSignature(rand.Reader)); !ok {
			p.Note(fmt.Sprintf("%s: stripped signature accepted but the control was not refused (%s)", p.Endpoint.Key(), ctl.Why))
			return
		}
		t.Report("jwt.signature-stripped", f,
			fmt.Sprintf("a forged token with its signature stripped (%s) was accepted", name),
			"the same forged payload with a random signature was refused")
		return
	}
}

func runAlgNone(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, "jwt.alg-none")
	if !ok {
		return
	}
	variants := jose.AlgNone(t.Tok, nil)
	for i := range variants {
		name := variants[i].Name
		f := t.Attempt(ctx, name, func(set map[string]any) (string, error) {
			vs := jose.AlgNone(t.Tok, set)
			if len(vs) != len(variants) {
				return "", fmt.Errorf("alg none variants")
			}
			return vs[i].Token, nil
		})
		if f == nil {
			continue
		}
		// Control: the same payload under the original alg with no
		// signature must be refused, or the bug is the stripped signature.
		ctlTok, err := t.Tampered(map[string]any{"authprobe": forgery.Canary()})
		if err != nil {
			return
		}
		if ctl, ok := t.Rejected(ctx, "original alg, empty signature", ctlTok.SigningInput()+"."); !ok {
			p.Note(fmt.Sprintf("%s: alg none accepted, but so is an empty signature under %s (%s)", p.Endpoint.Key(), t.Tok.Alg(), ctl.Why))
			return
		}
		t.Report("jwt.alg-none", f,
			fmt.Sprintf("an unsigned forged token declaring %s was accepted", name),
			fmt.Sprintf("the same payload under alg %s with an empty signature was refused", t.Tok.Alg()))
		return
	}
}

func runBlankSecret(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, "jwt.blank-secret")
	if !ok {
		return
	}
	blank, err := jose.HMAC("HS256", nil)
	if err != nil {
		return
	}
	f := t.Attempt(ctx, "HS256 with an empty key", func(set map[string]any) (string, error) {
		return t.Tok.Resign(set, blank)
	})
	if f == nil {
		return
	}
	if ctl, ok := t.RandomKeyRejected(ctx, "HS256 with a random key", forgery.Canary()); !ok {
		if ctl == nil {
			return
		}
		p.Note(fmt.Sprintf("%s: empty-key token accepted but a random-key token was not refused (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	t.Report("jwt.blank-secret", f,
		"a forged token signed with HS256 and an empty key was accepted",
		"the same forgery signed with a random 32-byte key was refused")
}
