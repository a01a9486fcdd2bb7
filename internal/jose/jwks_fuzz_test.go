package jose

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

// FuzzParseJWKS: a key set served by the target (jwks_uri, /.well-known)
// parses to keys or an error, never a panic; what parses re-encodes.
func FuzzParseJWKS(f *testing.F) {
	rk, _ := rsa.GenerateKey(rand.Reader, 1024)
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if set, err := JWKS(JWK{Key: &rk.PublicKey, Kid: "r1"}, JWK{Key: &ek.PublicKey, Kid: "e1"}); err == nil {
		f.Add(set)
	}
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-999","x":"AA","y":"AA"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`))
	f.Add([]byte(`{"keys":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseJWKS(data)
		if err != nil {
			return
		}
		if _, err := JWKS(keys...); err != nil {
			t.Logf("parsed keys do not re-encode: %v", err)
		}
	})
}
