package keys

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// runConfusion re-declares an RS/PS/ES token HS256 and signs it with the
// API's public key, serialised every way a server might feed it to HMAC.
// Control: the same forgery signed with a random HMAC key is refused.
func (f *family) runConfusion(ctx context.Context, p *probe.Pass) {
	if !asymmetric(mustTok(p)) {
		return
	}
	st := f.of(p.Env)
	pubs := publicKeys(mustTok(p), st.discover(ctx, p))
	if len(pubs) == 0 {
		return
	}
	t, ok := start(p, confusion, asymmetric)
	if !ok {
		return
	}
	type attempt struct {
		pub  published
		tok  *jose.Token
		kid  string // how the kid was changed; "" when kept
		only map[string]bool
	}
	var attempts []attempt
	for _, pub := range pubs {
		attempts = append(attempts, attempt{pub: pub, tok: t.Tok})
	}
	// A verifier that picks its key file or entry by kid: the kid removed,
	// the published key's own id, common key file names.
	for _, pub := range pubs {
		for _, kv := range confusionKids(t.Tok, pub.kid) {
			attempts = append(attempts, attempt{pub: pub, tok: kv.tok, kid: kv.name, only: kidKeyNames})
		}
	}
	for _, a := range attempts {
		pub, tok := a.pub, a.tok
		variants, err := jose.Confusion(tok, nil, pub.key, "HS256")
		if err != nil {
			continue
		}
		for i := range variants {
			name := variants[i].Name
			if a.only != nil && !a.only[name[len("hs256/"):]] {
				continue
			}
			if a.kid != "" {
				name += ", " + a.kid
			}
			fg := t.Attempt(ctx, "HS256 keyed with the public key as "+name, func(set map[string]any) (string, error) {
				vs, err := jose.Confusion(tok, set, pub.key, "HS256")
				if err != nil || len(vs) != len(variants) {
					return "", fmt.Errorf("confusion variants: %v", err)
				}
				return vs[i].Token, nil
			})
			if fg == nil {
				continue
			}
			if ctl, ok := t.RandomKeyRejected(ctx, "HS256 keyed with a random secret", fg.Canary); !ok {
				if ctl == nil {
					return
				}
				p.Note(fmt.Sprintf("%s: HS256 keyed with the public key accepted, but a random HMAC key was not refused (%s)", p.Endpoint.Key(), ctl.Why))
				return
			}
			t.Report(confusion, fg,
				fmt.Sprintf("a token re-declared HS256 and signed with the API's public key (%s, from %s) as the HMAC secret was accepted", name, pub.from),
				"the same forgery signed HS256 with a random secret was refused")
			return
		}
	}
}

// mustTok returns the pass's JWT, or an empty token when it has none.
func mustTok(p *probe.Pass) *jose.Token {
	t, ok := targetTok(p)
	if !ok {
		return &jose.Token{}
	}
	return t
}

// runPsychic sends an ES token signed r = s = 0. It applies to ES tokens
// only: an RSA or HMAC verifier cannot be fooled by a broken ECDSA check.
// Control: the same token with a random signature of the same size.
func (f *family) runPsychic(ctx context.Context, p *probe.Pass) {
	t, ok := start(p, psychic, func(tok *jose.Token) bool { return strings.HasPrefix(tok.Alg(), "ES") })
	if !ok {
		return
	}
	fg := t.Attempt(ctx, "ECDSA signature r = s = 0", func(set map[string]any) (string, error) {
		return jose.PsychicSignature(t.Tok, set)
	})
	if fg == nil {
		return
	}
	zero, err := jose.Parse(fg.Token)
	if err != nil {
		return
	}
	ctlTok := zero.RandomSignature(rand.Reader)
	if ctl, ok := t.Rejected(ctx, "ECDSA random signature", ctlTok); !ok {
		p.Note(fmt.Sprintf("%s: a zero ECDSA signature was accepted, but so was a random one (%s)", p.Endpoint.Key(), ctl.Why))
		return
	}
	t.Report(psychic, fg, fmt.Sprintf("a token declaring %s whose ECDSA signature is r = s = 0 was accepted", zero.Alg()),
		"the same token with a random signature of the same size was refused")
}

// keyFileNames are the names verifiers commonly load their public key
// from when they pick the key file by kid.
var keyFileNames = []string{"public.pem", "public_key.pem", "pubkey.pem", "jwt_public.pem", "key.pub"}

// kidKeyNames are the key encodings tried with a changed kid: the PEM forms
// servers read from files (with and without the trailing newline).
var kidKeyNames = map[string]bool{"spki-pem": true, "spki-pem-no-newline": true, "pkcs1-pem": true}

// confusionKid is the token with its header kid changed, for an RS→HS
// confusion forgery against a verifier that chooses its key by kid.
type confusionKid struct {
	name string
	tok  *jose.Token
}

// confusionKids returns the token with its kid removed (when it has one), set
// to the published key's own id (when that differs), and set to common key
// file names. The claims are untouched; Resign changes those.
func confusionKids(tok *jose.Token, pubKid string) []confusionKid {
	kid, has := tok.Head["kid"].(string)
	var out []confusionKid
	with := func(name string, set map[string]any, del ...string) {
		h, err := jose.SetHeader(tok.HeaderJSON, set, del...)
		if err != nil {
			return
		}
		c := *tok
		c.HeaderJSON = h
		out = append(out, confusionKid{name: name, tok: &c})
	}
	if has {
		with("kid removed", nil, "kid")
	}
	if pubKid != "" && pubKid != kid {
		with("kid "+pubKid+" (the published key's)", map[string]any{"kid": pubKid})
	}
	for _, f := range keyFileNames {
		if f != kid {
			with("kid "+f, map[string]any{"kid": f})
		}
	}
	return out
}
