package jose

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
)

func TestEmbeddedJWK(t *testing.T) {
	v := loadVectors(t)
	rsaKey := v.private(t, "rsa").(*rsa.PrivateKey)
	ec384 := v.private(t, "ec384").(*ecdsa.PrivateKey)
	rs384 := mustParse(t, mustSign(t, `{"alg":"RS384"}`, mustSigner(t, rsaKey, "RS384")))
	cases := []struct {
		name    string
		victim  *Token
		key     crypto.Signer
		wantAlg string
	}{
		{"rsa on HS token", victim(t), rsaKey, "RS256"},
		{"rsa keeps RS384", rs384, rsaKey, "RS384"},
		{"ec384", victim(t), ec384, "ES384"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := EmbeddedJWK(c.victim, map[string]any{"sub": "mallory"}, c.key)
			if err != nil {
				t.Fatal(err)
			}
			tok := mustParse(t, out)
			if tok.Alg() != c.wantAlg || tok.Claims["sub"] != "mallory" {
				t.Fatalf("alg %q claims %s", tok.Alg(), tok.PayloadJSON)
			}
			raw, _ := json.Marshal(tok.Head["jwk"])
			keys, err := ParseJWKS(raw)
			if err != nil || len(keys) != 1 {
				t.Fatalf("embedded jwk %s: %v", raw, err)
			}
			if err := Verify(tok, keys[0].Key); err != nil {
				t.Fatalf("does not verify with its embedded key: %v", err)
			}
			if bytes.Contains(raw, []byte(`"d"`)) {
				t.Fatalf("private key material in the header: %s", raw)
			}
		})
	}
}

func mustSigner(t *testing.T, k crypto.Signer, alg string) Signer {
	t.Helper()
	s, err := SignerFor(k, alg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustSign(t *testing.T, header string, s Signer) string {
	t.Helper()
	out, err := Sign([]byte(header), []byte(`{"sub":"alice"}`), s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWithKid(t *testing.T) {
	s, _ := HMAC("HS256", nil)
	out, err := WithKid(victim(t), "../../../../dev/null", map[string]any{"role": "admin"}, s)
	if err != nil {
		t.Fatal(err)
	}
	tok := mustParse(t, out)
	if string(tok.HeaderJSON) != `{"typ":"JWT","alg":"HS256","kid":"../../../../dev/null"}` || tok.Claims["role"] != "admin" {
		t.Fatalf("header %s payload %s", tok.HeaderJSON, tok.PayloadJSON)
	}
	verifyGolangJWT(t, out, []byte{})
}

func TestConfusionKeys(t *testing.T) {
	v := loadVectors(t)
	pub := v.private(t, "rsa").Public()
	keys := ConfusionKeys(pub)
	names := map[string][]byte{}
	for _, k := range keys {
		names[k.Name] = k.Key
	}
	spkiPEM := []byte(v.Keys["rsa"].Public)
	if !bytes.Equal(names["spki-pem"], spkiPEM) {
		t.Fatalf("spki-pem differs from PyJWT's public PEM:\n%s", names["spki-pem"])
	}
	if !bytes.Equal(names["spki-pem-no-newline"], bytes.TrimSuffix(spkiPEM, []byte("\n"))) {
		t.Fatalf("spki-pem-no-newline wrong")
	}
	if b, _ := pem.Decode(names["pkcs1-pem"]); b == nil || b.Type != "RSA PUBLIC KEY" || names["pkcs1-pem-no-newline"][len(names["pkcs1-pem-no-newline"])-1] == '\n' {
		t.Fatalf("pkcs1 pem wrong")
	}
	if _, err := x509.ParsePKIXPublicKey(names["spki-der"]); err != nil {
		t.Fatalf("spki-der: %v", err)
	}
	if _, err := x509.ParsePKCS1PublicKey(names["pkcs1-der"]); err != nil {
		t.Fatalf("pkcs1-der: %v", err)
	}
	if len(keys) != 6 {
		t.Fatalf("%d rsa keys, want 6", len(keys))
	}
	ec := ConfusionKeys(v.private(t, "ec256").Public())
	if len(ec) != 3 || ConfusionKeys("not a key") != nil {
		t.Fatalf("ec: %d keys; unknown key type must give nil", len(ec))
	}
	vs, err := Confusion(victim(t), map[string]any{"role": "admin"}, pub, "")
	if err != nil || len(vs) != 6 {
		t.Fatalf("Confusion: %d variants, %v", len(vs), err)
	}
	for i, x := range vs {
		tok := mustParse(t, x.Token)
		if tok.Alg() != "HS256" || !strings.HasSuffix(x.Name, keys[i].Name) || Verify(tok, keys[i].Key) != nil {
			t.Fatalf("%s does not verify with its key", x.Name)
		}
	}
}

func TestPsychicSignature(t *testing.T) {
	for _, c := range []struct{ from, alg string }{{"HS256", "ES256"}, {"ES384", "ES384"}, {"ES512", "ES512"}, {"none", "ES256"}} {
		v := mustParse(t, Assemble([]byte(`{"alg":"`+c.from+`"}`), []byte(`{"sub":"a"}`), ""))
		out, err := PsychicSignature(v, map[string]any{"sub": "root"})
		if err != nil {
			t.Fatal(err)
		}
		tok := mustParse(t, out)
		n := map[string]int{"ES256": 64, "ES384": 96, "ES512": 132}[c.alg]
		if tok.Alg() != c.alg || !bytes.Equal(tok.Sig, make([]byte, n)) || tok.Claims["sub"] != "root" {
			t.Fatalf("from %s: alg %s, sig %x", c.from, tok.Alg(), tok.Sig)
		}
		k, _ := ecdsa.GenerateKey(map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()}[c.alg], rand.Reader)
		if Verify(tok, &k.PublicKey) == nil {
			t.Fatalf("a correct verifier accepts the psychic signature")
		}
	}
}

func TestGenerateKey(t *testing.T) {
	for alg, curve := range map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"} {
		k, err := GenerateKey(alg)
		if err != nil {
			t.Fatal(err)
		}
		if ek, ok := k.(*ecdsa.PrivateKey); !ok || ek.Curve.Params().Name != curve {
			t.Fatalf("%s: %T", alg, k)
		}
	}
	k, err := GenerateKey("PS256")
	if rk, ok := k.(*rsa.PrivateKey); err != nil || !ok || rk.N.BitLen() != 2048 {
		t.Fatalf("PS256: %T %v", k, err)
	}
	for _, alg := range []string{"HS256", "none", "EdDSA"} {
		if _, err := GenerateKey(alg); err == nil {
			t.Errorf("GenerateKey(%q) succeeded", alg)
		}
	}
}

func TestEmbeddedJWKDropsOtherKeyReferences(t *testing.T) {
	k, err := GenerateKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	v := mustParse(t, Assemble([]byte(`{"alg":"RS256","kid":"k","x5u":"https://x","jku":"https://y","x5c":["MII"]}`), []byte(`{}`), "AA"))
	out, err := EmbeddedJWK(v, nil, k)
	if err != nil {
		t.Fatal(err)
	}
	h := string(mustParse(t, out).HeaderJSON)
	// The key coordinates are random base64url, so "x5" may appear inside
	// them: look at the header's member names, not its text.
	var members map[string]json.RawMessage
	if err := json.Unmarshal([]byte(h), &members); err != nil {
		t.Fatalf("header %s: %v", h, err)
	}
	_, x5u := members["x5u"]
	_, x5c := members["x5c"]
	_, jku := members["jku"]
	if !strings.HasPrefix(h, `{"alg":"ES256","kid":"k","jwk":{"kty":"EC","crv":"P-256",`) || x5u || x5c || jku || len(members) != 3 {
		t.Fatalf("header %s", h)
	}
}
