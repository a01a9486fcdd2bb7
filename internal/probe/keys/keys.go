// Package keys holds the live key attacks that need no secret: algorithm
// confusion with the API's own public key, keys embedded in the token
// (jwk), key sets and certificates fetched from URLs the token names (jku,
// x5u, served by authprobe itself on loopback or --callback), kid used as a
// file path or inside SQL, and the ECDSA psychic signature.
package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"sync"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

const (
	confusion = "jwt.alg-confusion"
	jwkHeader = "jwt.jwk-header-trusted"
	jkuFetch  = "jwt.jku-fetched"
	jkuTrust  = "jwt.jku-trusted"
	x5uFetch  = "jwt.x5u-fetched"
	x5uTrust  = "jwt.x5u-trusted"
	kidPath   = "jwt.kid-traversal"
	kidSQL    = "jwt.kid-sqli"
	psychic   = "jwt.psychic-signature"
)

// Checks returns the key attacks. They run after the signature family and
// skip endpoints where the signature is proven unverified. The last check
// runs once per scan: it reports key-set fetches that arrived after their
// probe's answer and stops authprobe's key server.
func Checks() []probe.Check {
	f := family{}
	return []probe.Check{
		{ID: confusion, Scope: probe.PerEndpoint, Rules: []string{confusion}, Run: f.runConfusion, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{confusion},
			Discriminates: &probe.Discriminator{Tokens: probe.Asymmetric, Rank: 4},
			Doc:           "RS/ES token re-declared HS256 and signed with the API's public key (JWKS, OpenID configuration, x5c) in several encodings"},
		{ID: jwkHeader, Scope: probe.PerEndpoint, Rules: []string{jwkHeader}, Run: f.runJWK, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{jwkHeader},
			Discriminates: &probe.Discriminator{Tokens: probe.Asymmetric, Rank: 5},
			Doc:           "token signed with authprobe's RSA or EC key, the public key embedded in the jwk header"},
		{ID: "jwt.jku", Scope: probe.PerEndpoint, Rules: []string{jkuFetch, jkuTrust}, Run: f.runJKU, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{jkuFetch, jkuTrust},
			Discriminates: &probe.Discriminator{Tokens: probe.Asymmetric, Rank: 6},
			Doc:           "token whose jku names a key set authprobe serves: fetched, and trusted"},
		{ID: "jwt.x5u", Scope: probe.PerEndpoint, Rules: []string{x5uFetch, x5uTrust}, Run: f.runX5U, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{x5uFetch, x5uTrust},
			Discriminates: &probe.Discriminator{Tokens: probe.Asymmetric, Rank: 7},
			Doc:           "token whose x5u names a certificate authprobe serves: fetched, and trusted"},
		{ID: kidPath, Scope: probe.PerEndpoint, Rules: []string{kidPath}, Run: f.runKidPath, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{kidPath},
			Discriminates: &probe.Discriminator{Tokens: probe.WithKid, Rank: 9},
			Doc:           "kid pointing at /dev/null or another file of known content, signed HS256 with that content"},
		{ID: kidSQL, Scope: probe.PerEndpoint, Rules: []string{kidSQL}, Run: f.runKidSQL, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{kidSQL},
			Discriminates: &probe.Discriminator{Tokens: probe.WithKid, Rank: 10},
			Doc:           "kid carrying a SQL UNION that returns a key of authprobe's choosing, signed with it"},
		{ID: psychic, Scope: probe.PerEndpoint, Rules: []string{psychic}, Run: f.runPsychic, Verifier: true, Family: state, Requires: []string{forgery.NotVerified}, GateRules: []string{psychic},
			Discriminates: &probe.Discriminator{Tokens: probe.ECDSA, Rank: 8},
			Doc:           "ES256/384/512 token with the signature r = s = 0 (CVE-2022-21449)"},
	}
}

// state declares the family's per-scan state: the engine creates it, and
// its Finish reports late key-set fetches and stops the key server.
var state = &probe.Family{Name: "keys", New: func() probe.State { return &scanState{} }}

// family holds the family's checks; their state is the scan's.
type family struct{}

func (family) of(env probe.Env) *scanState { return env.State(state).(*scanState) }

// scanState holds what one scan creates once: the API's public keys,
// authprobe's own key pairs and its key server.
type scanState struct {
	discoverOnce sync.Once
	published    []published

	keysOnce sync.Once
	own      *ownKeys
	keysErr  error

	serverOnce sync.Once
	server     *keyServer
	serverErr  error
}

// ownKeys are authprobe's key pairs: the attack keys and unrelated keys of
// the same kinds for negative controls.
type ownKeys struct {
	rsa, rsaOther *rsa.PrivateKey
	ec, ecOther   *ecdsa.PrivateKey
	cert          []byte // PEM, self-signed for rsa
}

func (s *scanState) keys() (*ownKeys, error) {
	s.keysOnce.Do(func() {
		k := &ownKeys{}
		if k.rsa, s.keysErr = rsa.GenerateKey(rand.Reader, 2048); s.keysErr != nil {
			return
		}
		if k.rsaOther, s.keysErr = rsa.GenerateKey(rand.Reader, 2048); s.keysErr != nil {
			return
		}
		if k.ec, s.keysErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); s.keysErr != nil {
			return
		}
		if k.ecOther, s.keysErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); s.keysErr != nil {
			return
		}
		if k.cert, s.keysErr = selfSigned(k.rsa); s.keysErr != nil {
			return
		}
		s.own = k
	})
	return s.own, s.keysErr
}

// start returns the pass's target when check id applies: the identity has
// a JWT that ok accepts, the check has not run on the endpoint yet and the
// endpoint's signature is not already proven unverified.
func start(p *probe.Pass, id string, ok func(*jose.Token) bool) (*forgery.Target, bool) {
	if forgery.Broken(p) {
		return nil, false
	}
	t, has := forgery.TargetOf(p)
	if !has || (ok != nil && !ok(t.Tok)) || !p.First(id+"|"+p.Endpoint.Key()) {
		return nil, false
	}
	return t, true
}

// asymmetric reports whether tok is signed with RSA or ECDSA.
func asymmetric(tok *jose.Token) bool {
	a := tok.Alg()
	return strings.HasPrefix(a, "RS") || strings.HasPrefix(a, "PS") || strings.HasPrefix(a, "ES")
}

// algFor is the alg a key signs a variant of tok with: the token's own
// RSA alg for RSA keys when it has one, else the key's default.
func algFor(tok *jose.Token, key crypto.Signer) string {
	if _, isRSA := key.(*rsa.PrivateKey); isRSA {
		if a := tok.Alg(); strings.HasPrefix(a, "RS") || strings.HasPrefix(a, "PS") {
			return a
		}
		return "RS256"
	}
	return ""
}

// signedWith returns tok with header members set and deleted, claims set,
// signed with key.
func signedWith(tok *jose.Token, hset map[string]any, hdel []string, set map[string]any, s jose.Signer) (string, error) {
	h, err := jose.SetHeader(tok.HeaderJSON, hset, hdel...)
	if err != nil {
		return "", err
	}
	p, err := jose.SetClaims(tok.PayloadJSON, set)
	if err != nil {
		return "", err
	}
	return jose.Sign(h, p, s)
}

// keySigned is signedWith for an RSA or EC private key.
func keySigned(tok *jose.Token, hset map[string]any, hdel []string, set map[string]any, key crypto.Signer) (string, error) {
	s, err := jose.SignerFor(key, algFor(tok, key))
	if err != nil {
		return "", err
	}
	return signedWith(tok, hset, hdel, set, s)
}

// rawJSON embeds already-serialised JSON as a header value.
func rawJSON(b []byte) json.RawMessage { return json.RawMessage(b) }

func targetTok(p *probe.Pass) (*jose.Token, bool) {
	_, tok, ok := forgery.Find(p.Creds)
	return tok, ok
}
