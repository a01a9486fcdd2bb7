package keys

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// published is a public key the API publishes, and where it was found.
type published struct {
	kid  string
	key  crypto.PublicKey
	from string
}

// wellKnown are the places APIs publish their keys, tried in order until
// one yields a key set.
var wellKnown = []string{"/.well-known/jwks.json", "/.well-known/openid-configuration", "/jwks.json", "/jwks", "/.well-known/jwks"}

// discover fetches the API's public keys once per scan, without
// credentials; every endpoint's pass waits for the first to finish.
func (s *scanState) discover(ctx context.Context, p *probe.Pass) []published {
	s.discoverOnce.Do(func() {
		for _, ref := range wellKnown {
			u, err := p.Session().Resolve(ref)
			if err != nil {
				continue
			}
			body, ok := get(ctx, p, u)
			if !ok {
				continue
			}
			if ref == "/.well-known/openid-configuration" {
				var doc struct {
					JWKSURI string `json:"jwks_uri"`
				}
				if json.Unmarshal(body, &doc) != nil || doc.JWKSURI == "" {
					continue
				}
				if u, err = p.Session().Resolve(doc.JWKSURI); err != nil {
					continue
				}
				if body, ok = get(ctx, p, u); !ok {
					continue
				}
			}
			set, err := jose.ParseJWKS(body)
			if err != nil {
				continue
			}
			for _, k := range set {
				s.published = append(s.published, published{kid: k.Kid, key: k.Key, from: u})
			}
			return
		}
	})
	return s.published
}

// get fetches u without credentials; the httpx client keeps it in scope.
func get(ctx context.Context, p *probe.Pass, u string) ([]byte, bool) {
	o := p.Send(ctx, nil, &httpx.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}, identity.Creds{}, nil)
	if o.Sample == nil || o.Sample.Err != nil || o.Sample.Status != http.StatusOK {
		return nil, false
	}
	return o.Sample.Body, true
}

// publicKeys returns the candidates for tok's verification key: the
// certificate in its x5c header, then published keys whose kid matches,
// then the other published keys of the same type; at most three.
func publicKeys(tok *jose.Token, pubs []published) []published {
	var out []published
	if x5c, ok := tok.Head["x5c"].([]any); ok && len(x5c) > 0 {
		if s, ok := x5c[0].(string); ok {
			if der, err := base64.StdEncoding.DecodeString(s); err == nil {
				if cert, err := x509.ParseCertificate(der); err == nil {
					out = append(out, published{key: cert.PublicKey, from: "the token's x5c certificate"})
				}
			}
		}
	}
	kid, _ := tok.Head["kid"].(string)
	wantEC := strings.HasPrefix(tok.Alg(), "ES")
	var rest []published
	for _, k := range pubs {
		_, isEC := k.key.(*ecdsa.PublicKey)
		switch {
		case kid != "" && k.kid == kid:
			out = append(out, k)
		case isEC == wantEC:
			rest = append(rest, k)
		}
	}
	out = append(out, rest...)
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}
