package claims

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// capability is signing material that verifies an identity's token: an
// HMAC secret or a private key.
type capability struct {
	hmacKey []byte
	priv    crypto.Signer
	// recovered is set when the material was obtained by attack rather than
	// given by the owner: only then is a forged privilege a finding.
	recovered bool
	origin    string

	once  sync.Once
	wrong crypto.Signer // a key of the same kind, for negative controls
	err   error
}

// signer returns a signer for alg with the capability's key (wrong: with
// an unrelated key of the same kind).
func (c *capability) signer(alg string, wrong bool) (jose.Signer, error) {
	if c.hmacKey != nil {
		key := c.hmacKey
		if wrong {
			key = make([]byte, 32)
			_, _ = rand.Read(key)
		}
		return jose.HMAC(alg, key)
	}
	key := c.priv
	if wrong {
		c.once.Do(func() { c.wrong, c.err = sameKind(c.priv) })
		if c.err != nil {
			return nil, c.err
		}
		key = c.wrong
	}
	return jose.SignerFor(key, alg)
}

func sameKind(k crypto.Signer) (crypto.Signer, error) {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return rsa.GenerateKey(rand.Reader, 2048)
	case *ecdsa.PrivateKey:
		return ecdsa.GenerateKey(k.Curve, rand.Reader)
	}
	return nil, fmt.Errorf("unsupported key type %T", k)
}

// sign returns tok with claims set and deleted, signed under alg (the
// token's own when empty).
func (c *capability) sign(tok *jose.Token, set map[string]any, del []string, alg string, wrong bool) (string, error) {
	if alg == "" {
		alg = tok.Alg()
	}
	p, err := jose.SetClaims(tok.PayloadJSON, set, del...)
	if err != nil {
		return "", err
	}
	s, err := c.signer(alg, wrong)
	if err != nil {
		return "", err
	}
	return jose.Sign(tok.HeaderJSON, p, s)
}

// capFor returns the identity's signing capability: a secret recovered
// earlier in the scan, else the owner's --jwt-secret or --jwt-key when it
// verifies the identity's token; nil when there is none.
func (s *scanState) capFor(p *probe.Pass, tok *jose.Token) *capability {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.caps[p.Identity.Name]; ok {
		return c
	}
	c := configured(p, tok)
	s.caps[p.Identity.Name] = c
	return c
}

func configured(p *probe.Pass, tok *jose.Token) *capability {
	st := p.Settings()
	alg := tok.Alg()
	if len(st.JWTSecret) > 0 && strings.HasPrefix(alg, "HS") {
		if jose.Verify(tok, st.JWTSecret) == nil {
			return &capability{hmacKey: st.JWTSecret, origin: "the configured JWT secret"}
		}
		p.Note(fmt.Sprintf("identity %s: the configured JWT secret does not verify its %s token; claim checks skipped for it", p.Identity.Name, alg))
	}
	if st.JWTKeyFile == "" || strings.HasPrefix(alg, "HS") {
		return nil
	}
	data, err := os.ReadFile(st.JWTKeyFile)
	if err != nil {
		p.Note(fmt.Sprintf("--jwt-key: %v", err))
		return nil
	}
	priv, err := jose.ParsePrivateKeyPEM(data)
	if err != nil {
		p.Note(fmt.Sprintf("--jwt-key %s: %v", st.JWTKeyFile, err))
		return nil
	}
	if jose.Verify(tok, priv.Public()) != nil {
		p.Note(fmt.Sprintf("identity %s: the configured JWT key does not verify its %s token; claim checks skipped for it", p.Identity.Name, alg))
		return nil
	}
	return &capability{priv: priv, origin: "the configured JWT key"}
}
