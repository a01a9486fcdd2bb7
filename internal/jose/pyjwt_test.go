package jose

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const python = "/usr/bin/python3"

// TestPyJWTVerifiesOurTokens signs fresh tokens for every alg with the keys
// of the vectors file and has PyJWT verify them. A missing interpreter or
// PyJWT fails the test: scripts/install-deps.sh installs them.
func TestPyJWTVerifiesOurTokens(t *testing.T) {
	if err := exec.Command(python, "-c", "import jwt, cryptography").Run(); err != nil {
		t.Fatalf("%s with PyJWT is needed (%v): run scripts/install-deps.sh", python, err)
	}
	v := loadVectors(t)
	type tokenReq struct {
		Name   string  `json:"name"`
		Alg    string  `json:"alg"`
		Secret *string `json:"secret,omitempty"`
		Key    string  `json:"key,omitempty"`
		Token  string  `json:"token"`
	}
	req := struct {
		Keys   map[string]string `json:"keys"`
		Tokens []tokenReq        `json:"tokens"`
	}{Keys: map[string]string{}}
	for n, k := range v.Keys {
		req.Keys[n] = k.Public
	}
	header := []byte(`{"typ":"JWT","kid":"go"}`)
	payload := []byte(`{"sub":"alice","admin":true,"n":1.5,"u":"\u00e9\ud83d\ude00"}`)
	secrets := []string{"secret", "", strings.Repeat("x", 200)}
	for _, alg := range []string{"HS256", "HS384", "HS512"} {
		for i := range secrets {
			s, err := HMAC(alg, []byte(secrets[i]))
			if err != nil {
				t.Fatal(err)
			}
			tok, err := Sign(header, payload, s)
			if err != nil {
				t.Fatal(err)
			}
			req.Tokens = append(req.Tokens, tokenReq{Name: alg + "/" + secrets[i][:min(len(secrets[i]), 6)], Alg: alg, Secret: &secrets[i], Token: tok})
		}
	}
	asym := map[string]string{"RS256": "rsa", "RS384": "rsa", "RS512": "rsa", "PS256": "rsa", "PS384": "rsa",
		"PS512": "rsa", "ES256": "ec256", "ES384": "ec384", "ES512": "ec521"}
	for alg, key := range asym {
		s, err := SignerFor(v.private(t, key), alg)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := Sign(header, payload, s)
		if err != nil {
			t.Fatal(err)
		}
		req.Tokens = append(req.Tokens, tokenReq{Name: alg, Alg: alg, Key: key, Token: tok})
	}
	// A negative control: a token signed with another secret must fail.
	wrong := "not-the-secret"
	bad, _ := HMAC("HS256", []byte("secret"))
	badTok, _ := Sign(header, payload, bad)
	req.Tokens = append(req.Tokens, tokenReq{Name: "control", Alg: "HS256", Secret: &wrong, Token: badTok})

	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/verify_go.py")
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("verify_go.py: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	ok := 0
	for _, l := range lines[1:] {
		switch {
		case strings.HasPrefix(l, "ok control"):
			t.Errorf("PyJWT accepted the wrong-key control token")
		case strings.HasPrefix(l, "ok "):
			ok++
		case strings.HasPrefix(l, "fail control:"):
		default:
			t.Errorf("PyJWT: %s", l)
		}
	}
	if want := len(req.Tokens) - 1; ok != want {
		t.Fatalf("PyJWT (%s) verified %d of %d tokens:\n%s", lines[0], ok, want, out)
	}
}
