package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash
	_ "crypto/sha512" // registers SHA-384 and SHA-512
	"fmt"
	"strings"
)

// Signer produces the signature of a JWS signing input for one alg.
type Signer interface {
	Alg() string
	Sign(signingInput []byte) ([]byte, error)
}

// hashOf maps the digits of an alg ("256") to its hash.
func hashOf(alg string) (crypto.Hash, bool) {
	switch {
	case strings.HasSuffix(alg, "256"):
		return crypto.SHA256, true
	case strings.HasSuffix(alg, "384"):
		return crypto.SHA384, true
	case strings.HasSuffix(alg, "512"):
		return crypto.SHA512, true
	}
	return 0, false
}

type hmacSigner struct {
	alg  string
	hash crypto.Hash
	key  []byte
}

// HMAC signs with HS256, HS384 or HS512. Any key is allowed, the empty one
// included: servers with an unset secret are what the blank-key check finds.
func HMAC(alg string, key []byte) (Signer, error) {
	h, ok := hashOf(alg)
	if !ok || len(alg) != 5 || alg[:2] != "HS" {
		return nil, fmt.Errorf("hmac signer: unsupported alg %q (want HS256, HS384 or HS512)", alg)
	}
	return hmacSigner{alg: alg, hash: h, key: append([]byte(nil), key...)}, nil
}

func (s hmacSigner) Alg() string { return s.alg }

func (s hmacSigner) Sign(in []byte) ([]byte, error) {
	m := hmac.New(s.hash.New, s.key)
	m.Write(in)
	return m.Sum(nil), nil
}

type rsaSigner struct {
	alg  string
	hash crypto.Hash
	pss  bool
	key  *rsa.PrivateKey
}

// RSA signs with RS256/384/512 (PKCS#1 v1.5) or PS256/384/512 (PSS with a
// salt as long as the hash, as RFC 7518 requires).
func RSA(alg string, key *rsa.PrivateKey) (Signer, error) {
	h, ok := hashOf(alg)
	if !ok || len(alg) != 5 || (alg[:2] != "RS" && alg[:2] != "PS") {
		return nil, fmt.Errorf("rsa signer: unsupported alg %q (want RS256..RS512 or PS256..PS512)", alg)
	}
	if key == nil {
		return nil, fmt.Errorf("rsa signer %s: no key", alg)
	}
	return rsaSigner{alg: alg, hash: h, pss: alg[0] == 'P', key: key}, nil
}

func (s rsaSigner) Alg() string { return s.alg }

func (s rsaSigner) Sign(in []byte) ([]byte, error) {
	d := digest(s.hash, in)
	var sig []byte
	var err error
	if s.pss {
		sig, err = rsa.SignPSS(rand.Reader, s.key, s.hash, d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	} else {
		sig, err = rsa.SignPKCS1v15(nil, s.key, s.hash, d)
	}
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", s.alg, err)
	}
	return sig, nil
}

type ecdsaSigner struct {
	alg  string
	hash crypto.Hash
	key  *ecdsa.PrivateKey
}

// curveAlg is the JWS alg that goes with each curve.
func curveAlg(c elliptic.Curve) string {
	switch c {
	case elliptic.P256():
		return "ES256"
	case elliptic.P384():
		return "ES384"
	case elliptic.P521():
		return "ES512"
	}
	return ""
}

// ECDSA signs with ES256 (P-256), ES384 (P-384) or ES512 (P-521); the
// signature is JOSE's fixed-size r||s, not ASN.1.
func ECDSA(alg string, key *ecdsa.PrivateKey) (Signer, error) {
	h, ok := hashOf(alg)
	if !ok || len(alg) != 5 || alg[:2] != "ES" {
		return nil, fmt.Errorf("ecdsa signer: unsupported alg %q (want ES256, ES384 or ES512)", alg)
	}
	if key == nil {
		return nil, fmt.Errorf("ecdsa signer %s: no key", alg)
	}
	if want := curveAlg(key.Curve); want != alg {
		return nil, fmt.Errorf("ecdsa signer: %s needs the matching curve, the key's curve is for %q", alg, want)
	}
	return ecdsaSigner{alg: alg, hash: h, key: key}, nil
}

func (s ecdsaSigner) Alg() string { return s.alg }

func (s ecdsaSigner) Sign(in []byte) ([]byte, error) {
	r, sv, err := ecdsa.Sign(rand.Reader, s.key, digest(s.hash, in))
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", s.alg, err)
	}
	n := (s.key.Curve.Params().BitSize + 7) / 8
	out := make([]byte, 2*n)
	r.FillBytes(out[:n])
	sv.FillBytes(out[n:])
	return out, nil
}

func digest(h crypto.Hash, in []byte) []byte {
	d := h.New()
	d.Write(in)
	return d.Sum(nil)
}

type noneSigner string

// None "signs" with alg none: an empty signature.
func None() Signer { return noneSigner("none") }

// NoneAs is None with the alg spelled as given ("None", "nOnE"), for
// verifiers that compare the alg case-sensitively against a blocklist.
func NoneAs(alg string) Signer { return noneSigner(alg) }

func (s noneSigner) Alg() string               { return string(s) }
func (noneSigner) Sign([]byte) ([]byte, error) { return nil, nil }

// Sign sets the header's alg to s.Alg() and returns header.payload.signature.
func Sign(headerJSON, payloadJSON []byte, s Signer) (string, error) {
	h, err := SetHeader(headerJSON, map[string]any{"alg": s.Alg()})
	if err != nil {
		return "", err
	}
	return SignKeepAlg(h, payloadJSON, s)
}

// SignKeepAlg signs the header bytes exactly as given, whatever alg they
// declare: for tokens whose header deliberately disagrees with the key.
func SignKeepAlg(headerJSON, payloadJSON []byte, s Signer) (string, error) {
	in := B64(headerJSON) + "." + B64(payloadJSON)
	sig, err := s.Sign([]byte(in))
	if err != nil {
		return "", err
	}
	return in + "." + B64(sig), nil
}
