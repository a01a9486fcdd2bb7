package cli

import (
	"crypto/ecdsa"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/golang-jwt/jwt/v5"
)

// forgeVictim is an HS256 token the server signed with "server-secret".
func forgeVictim(t *testing.T) *jose.Token {
	t.Helper()
	s, _ := jose.HMAC("HS256", []byte("server-secret"))
	raw, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"sub":"alice","role":"user","exp":1764000900}`), s)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jose.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func forgeOK(t *testing.T, args ...string) *jose.Token {
	t.Helper()
	code, out, errw := runTokenCmd(t, "", append([]string{"token", "forge"}, args...)...)
	if code != ExitOK {
		t.Fatalf("forge %v: exit %d: %s", args, code, errw)
	}
	if !strings.HasSuffix(out, "\n") || strings.Count(out, "\n") != 1 {
		t.Fatalf("want one token line, got %q", out)
	}
	tok, err := jose.Parse(strings.TrimSuffix(out, "\n"))
	if err != nil {
		t.Fatalf("forged token does not parse: %v", err)
	}
	return tok
}

// golangJWT verifies raw with golang-jwt, an independent implementation.
func golangJWT(t *testing.T, raw string, key any) {
	t.Helper()
	_, err := jwt.NewParser(jwt.WithoutClaimsValidation()).Parse(raw, func(*jwt.Token) (any, error) { return key, nil })
	if err != nil {
		t.Fatalf("golang-jwt rejects %s: %v", raw, err)
	}
}

func TestTokenForgeModes(t *testing.T) {
	v := forgeVictim(t)
	keyFile := filepath.Join("..", "jose", "testdata", "ec256_private.pem")

	tampered := forgeOK(t, "--set", "role=admin", "--set", "n=42", "--set", `o={"a":[1]}`, "--del", "exp", v.Raw)
	if tampered.Header != v.Header || tampered.Signature != v.Signature ||
		string(tampered.PayloadJSON) != `{"sub":"alice","role":"admin","n":42,"o":{"a":[1]}}` {
		t.Fatalf("tampered %s %s", tampered.PayloadJSON, tampered.Raw)
	}

	none := forgeOK(t, "--none", "--casing", "nOnE", "--set", "role=admin", v.Raw)
	if string(none.HeaderJSON) != `{"alg":"nOnE","typ":"JWT"}` || none.Signature != "" || none.Claims["role"] != "admin" {
		t.Fatalf("none: %s", none.Raw)
	}

	strip := forgeOK(t, "--strip", v.Raw)
	if strip.Raw != v.SigningInput()+"." {
		t.Fatalf("strip: %s", strip.Raw)
	}

	blank := forgeOK(t, "--blank-key", "--set", "sub=bob", v.Raw)
	if err := jose.Verify(blank, []byte{}); err != nil || blank.Claims["sub"] != "bob" {
		t.Fatalf("blank key: %v", err)
	}
	golangJWT(t, blank.Raw, []byte{})

	hs := forgeOK(t, "--secret", "guessed", "--alg", "HS384", v.Raw)
	if hs.Alg() != "HS384" || jose.Verify(hs, []byte("guessed")) != nil {
		t.Fatalf("secret: %s", hs.Raw)
	}
	golangJWT(t, hs.Raw, []byte("guessed"))

	pem := filepath.Join(t.TempDir(), "pub.pem")
	if err := os.WriteFile(pem, []byte("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := forgeOK(t, "--secret-file", pem, v.Raw)
	if jose.Verify(conf, []byte("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n")) != nil {
		t.Fatalf("secret-file does not sign with the file bytes")
	}

	es := forgeOK(t, "--key", keyFile, v.Raw)
	b, _ := os.ReadFile(keyFile)
	key, err := jose.ParsePrivateKeyPEM(b)
	if err != nil {
		t.Fatal(err)
	}
	if es.Alg() != "ES256" || jose.Verify(es, key.Public()) != nil {
		t.Fatalf("key: %s", es.Raw)
	}
	golangJWT(t, es.Raw, key.Public().(*ecdsa.PublicKey))

	kid := forgeOK(t, "--kid", "../../../dev/null", "--set", "role=admin", v.Raw)
	if kid.Head["kid"] != "../../../dev/null" || jose.Verify(kid, []byte{}) != nil {
		t.Fatalf("kid alone must sign with an empty key: %s", kid.HeaderJSON)
	}
	kidSecret := forgeOK(t, "--kid", "k' OR '1'='1", "--secret", "x", v.Raw)
	if kidSecret.Head["kid"] != "k' OR '1'='1" || jose.Verify(kidSecret, []byte("x")) != nil {
		t.Fatalf("kid with secret: %s", kidSecret.HeaderJSON)
	}

	psy := forgeOK(t, "--psychic", "--alg", "ES384", v.Raw)
	if psy.Alg() != "ES384" || len(psy.Sig) != 96 || strings.Trim(psy.Signature, "A") != "" {
		t.Fatalf("psychic: %s", psy.Raw)
	}
}

func TestTokenForgeJWK(t *testing.T) {
	v := forgeVictim(t)
	for _, c := range []struct {
		args []string
		alg  string
	}{{nil, "RS256"}, {[]string{"--alg", "PS384"}, "PS384"}, {[]string{"--alg", "ES384", "--kid", "me"}, "ES384"}} {
		tok := forgeOK(t, append(append([]string{"--jwk", "--set", "role=admin"}, c.args...), v.Raw)...)
		raw, _ := json.Marshal(tok.Head["jwk"])
		keys, err := jose.ParseJWKS(raw)
		if err != nil {
			t.Fatalf("%v: jwk %s: %v", c.args, raw, err)
		}
		if tok.Alg() != c.alg || jose.Verify(tok, keys[0].Key) != nil || tok.Claims["role"] != "admin" {
			t.Fatalf("%v: alg %s, header %s", c.args, tok.Alg(), tok.HeaderJSON)
		}
		golangJWT(t, tok.Raw, keys[0].Key)
	}
}

func TestTokenForgeErrors(t *testing.T) {
	v := forgeVictim(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{v.Raw}, "nothing to forge"},
		{[]string{"--none", "--strip", v.Raw}, "choose one of --none, --strip"},
		{[]string{"--secret", "a", "--key", "x.pem", v.Raw}, "choose one of"},
		{[]string{"--casing", "NONE", v.Raw}, "--casing needs --none"},
		{[]string{"--none", "--casing", "nada", v.Raw}, "does not spell none"},
		{[]string{"--set", "novalue", v.Raw}, "NAME=VALUE"},
		{[]string{"--secret", "a", "--alg", "RS256", v.Raw}, "unsupported alg"},
		{[]string{"--key", "/nonexistent.pem", v.Raw}, "--key"},
		{[]string{"--key", filepath.Join("..", "jose", "testdata", "ec256_private.pem"), "--alg", "ES384", v.Raw}, "curve"},
		{[]string{"--psychic", "--alg", "HS256", v.Raw}, "ES256, ES384 or ES512"},
		{[]string{"--none", "--kid", "x", v.Raw}, "--kid needs a signing mode"},
		{[]string{"--alg", "HS512", "--set", "a=1", v.Raw}, "--alg needs a signing mode"},
		{[]string{"--set", "a=1", "not.a"}, "2 segments"},
		{[]string{"--set", "a=1"}, "accepts 1 arg"},
	}
	for _, c := range cases {
		code, out, errw := runTokenCmd(t, "", append([]string{"token", "forge"}, c.args...)...)
		if code != ExitUsage || out != "" || !strings.Contains(errw, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errw, c.want)
		}
	}
}

func TestTokenForgeStdin(t *testing.T) {
	v := forgeVictim(t)
	code, out, errw := runTokenCmd(t, v.Raw+"\n", "token", "forge", "--strip", "-")
	if code != ExitOK || out != v.SigningInput()+".\n" {
		t.Fatalf("exit %d, out %q, err %q", code, out, errw)
	}
}
