package keys

import (
	"context"
	"crypto"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// runJWK signs a forgery with authprobe's own RSA key (EC for ES tokens: a
// verifier that trusts the header's key still dispatches on its own
// algorithm list) and embeds the public half as the header's jwk. Control:
// our jwk in the header but the token signed with an unrelated key must be
// refused — else the endpoint accepts anything and the jwk is not what it
// trusts.
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
	name, key, other := "RSA", crypto.Signer(own.rsa), crypto.Signer(own.rsaOther)
	if strings.HasPrefix(t.Tok.Alg(), "ES") {
		name, key, other = "EC P-256", own.ec, own.ecOther
	}
	jwk, err := jose.JWK{Key: key.Public()}.MarshalJSON()
	if err != nil {
		return
	}
	hset, hdel := map[string]any{"jwk": rawJSON(jwk)}, []string{"x5c", "x5u", "jku"}
	fg := t.Attempt(ctx, "signed with our "+name+" key, embedded as jwk", func(set map[string]any) (string, error) {
		return keySigned(t.Tok, hset, hdel, set, key)
	})
	if fg == nil {
		return
	}
	ctlTok, err := keySigned(t.Tok, hset, hdel, map[string]any{"authprobe": fg.Canary}, other)
	if err != nil {
		return
	}
	if ctl, ok := t.Rejected(ctx, "our jwk embedded, signed with another key", ctlTok); !ok {
		p.Note(fmt.Sprintf("%s: a token with an embedded jwk was accepted, but so was one whose signature does not match it (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	t.Report(jwkHeader, fg,
		fmt.Sprintf("a token signed with authprobe's own %s key, the public key embedded in its jwk header, was accepted", name),
		"the same header with the token signed by a different key was refused")
}
