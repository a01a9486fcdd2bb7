package keys

import (
	"context"
	"crypto"
	"fmt"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// runJWK signs a forgery with authprobe's own RSA key, then EC key, and
// embeds the public half as the header's jwk. Control: our jwk in the
// header but the token signed with an unrelated key must be refused — else
// the endpoint accepts anything and the jwk is not what it trusts.
func (f *family) runJWK(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, jwkHeader, nil)
	if !ok {
		return
	}
	own, err := f.of(p.Env).keys()
	if err != nil {
		p.Note(fmt.Sprintf("jwk header check: %v", err))
		return
	}
	for _, pair := range []struct {
		name       string
		key, other crypto.Signer
	}{{"RSA", own.rsa, own.rsaOther}, {"EC P-256", own.ec, own.ecOther}} {
		jwk, err := jose.JWK{Key: pair.key.Public()}.MarshalJSON()
		if err != nil {
			return
		}
		hset := map[string]any{"jwk": rawJSON(jwk)}
		fg := t.Attempt(ctx, "signed with our "+pair.name+" key, embedded as jwk", func(set map[string]any) (string, error) {
			return keySigned(t.Tok, hset, []string{"x5c", "x5u", "jku"}, set, pair.key)
		})
		if fg == nil {
			continue
		}
		ctlTok, err := keySigned(t.Tok, hset, []string{"x5c", "x5u", "jku"}, map[string]any{"authprobe": fg.Canary}, pair.other)
		if err != nil {
			return
		}
		if ctl, ok := t.Rejected(ctx, "our jwk embedded, signed with another key", ctlTok); !ok {
			p.Note(fmt.Sprintf("%s: a token with an embedded jwk was accepted, but so was one whose signature does not match it (%s)", p.Endpoint.Key(), ctl.Why))
			return
		}
		t.Report(jwkHeader, fg,
			fmt.Sprintf("a token signed with authprobe's own %s key, the public key embedded in its jwk header, was accepted", pair.name),
			"the same header with the token signed by a different key was refused")
		return
	}
}
