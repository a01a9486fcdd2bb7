package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

func TestJWKSRoundTrip(t *testing.T) {
	v := loadVectors(t)
	in := []JWK{
		{Kid: "r1", Alg: "RS256", Use: "sig", Key: v.private(t, "rsa").Public()},
		{Kid: "e1", Key: v.private(t, "ec256").Public()},
		{Kid: "e3", Key: v.private(t, "ec521").Public()},
	}
	b, err := JWKS(in...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"keys":[{"kty":"RSA","kid":"r1","use":"sig","alg":"RS256","n":"`) {
		t.Fatalf("jwks %s", b)
	}
	out, err := ParseJWKS(b)
	if err != nil || len(out) != 3 {
		t.Fatalf("parse: %d keys, %v", len(out), err)
	}
	for i := range in {
		eq, ok := in[i].Key.(interface{ Equal(crypto.PublicKey) bool })
		if out[i].Kid != in[i].Kid || !ok || !eq.Equal(out[i].Key) {
			t.Fatalf("key %d differs after round trip", i)
		}
	}
	if _, ok := out[0].Key.(*rsa.PublicKey); !ok || out[0].Alg != "RS256" || out[0].Use != "sig" {
		t.Fatalf("rsa key %+v", out[0])
	}
	if _, ok := out[2].Key.(*ecdsa.PublicKey); !ok {
		t.Fatalf("ec key %T", out[2].Key)
	}
	if empty, _ := JWKS(); string(empty) != `{"keys":[]}` {
		t.Fatalf("empty set %s", empty)
	}
}

func TestParseJWKS(t *testing.T) {
	single := `{"kty":"EC","crv":"P-256","kid":"one","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`
	if ks, err := ParseJWKS([]byte(single)); err != nil || len(ks) != 1 || ks[0].Kid != "one" {
		t.Fatalf("single JWK: %v", err)
	}
	withOct := `{"keys":[{"kty":"oct","k":"c2VjcmV0"},` + single + `]}`
	if ks, err := ParseJWKS([]byte(withOct)); err != nil || len(ks) != 1 {
		t.Fatalf("oct key not skipped: %v", err)
	}
	bad := []struct{ name, in, want string }{
		{"not json", `keys`, "jwks"},
		{"only oct", `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`, "no RSA or EC"},
		{"empty", `{"keys":[]}`, "no RSA or EC"},
		{"off curve", strings.Replace(single, `"x":"f`, `"x":"g`, 1), "not on the curve"},
		{"unknown curve", strings.Replace(single, "P-256", "P-192", 1), "unsupported curve"},
		{"rsa no e", `{"kty":"RSA","n":"` + strings.Repeat("A", 342) + `w"}`, "missing"},
		{"rsa tiny", `{"kty":"RSA","n":"AQAB","e":"AQAB"}`, "implausible"},
		{"bad base64", `{"kty":"RSA","n":"@@","e":"AQAB"}`, "key member"},
	}
	for _, c := range bad {
		if _, err := ParseJWKS([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestParseKeyPEM(t *testing.T) {
	v := loadVectors(t)
	rk := v.private(t, "rsa").(*rsa.PrivateKey)
	ek := v.private(t, "ec384").(*ecdsa.PrivateKey)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)})
	sec1DER, _ := x509.MarshalECPrivateKey(ek)
	sec1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1DER})
	for name, in := range map[string][]byte{"pkcs1": pkcs1, "sec1": sec1, "pkcs8": []byte(v.Keys["rsa"].Private)} {
		if _, err := ParsePrivateKeyPEM(in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParsePrivateKeyPEM([]byte(v.Keys["rsa"].Public)); err == nil {
		t.Errorf("a public key parsed as private")
	}
	if _, err := ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2}})); err == nil {
		t.Errorf("garbage parsed")
	}
	pub, err := ParsePublicKeyPEM([]byte(v.Keys["ec256"].Public))
	if _, ok := pub.(*ecdsa.PublicKey); err != nil || !ok {
		t.Errorf("public pem: %T %v", pub, err)
	}
	if _, err := ParsePublicKeyPEM([]byte("nothing")); err == nil {
		t.Errorf("no pem parsed")
	}
	if _, err := SignerFor(ek, "ES256"); err == nil {
		t.Errorf("ES256 with a P-384 key accepted")
	}
}
