package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t testing.TB, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "authprobe.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	p := writeConfig(t, `
target: http://127.0.0.1:5000
spec: api/openapi.yaml
endpoints: ["GET /api/v1/profile"]
identities:
  zed:
    login:
      method: POST
      url: /api/v1/login
      form: {username: zed, password: pw}
      token: data.token
      use: header:X-Auth
  partner:
    headers: {X-API-Key: sk_live_x}
  ops:
    bearer: eyJ.x.y
    query: {api_key: q}
    cookies: {session: c}
    role: admin
policy:
  "/api/v1/admin/*": [ops]
jwt: {secret: s3cr3t, key_file: keys/priv.pem}
`)
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Identities) != 3 || c.Identities[0].Name != "zed" || c.Identities[2].Name != "ops" {
		t.Fatalf("identities out of file order: %+v", c.Identities)
	}
	zed := c.Identities[0]
	if zed.Login == nil || zed.Login.Token != "data.token" || zed.Login.Use != "header:X-Auth" || zed.Login.Form["username"] != "zed" {
		t.Fatalf("login %+v", zed.Login)
	}
	if !c.Identities[2].Admin() || c.Identities[2].Base.Cookies["session"] != "c" || c.Identities[2].Base.Query["api_key"] != "q" {
		t.Fatalf("ops %+v", c.Identities[2])
	}
	if got := c.path(c.Spec); got != filepath.Join(filepath.Dir(p), "api/openapi.yaml") {
		t.Fatalf("spec path %s", got)
	}
	if c.JWT.Secret != "s3cr3t" || c.Policy["/api/v1/admin/*"][0] != "ops" {
		t.Fatalf("jwt/policy %+v %+v", c.JWT, c.Policy)
	}
	if c.path("https://x/spec.json") != "https://x/spec.json" {
		t.Fatal("a URL is not a path")
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for body, want := range map[string]string{
		"identities:\n  a:\n    bearr: x\n":        "bearr",
		"identities:\n  a: {}\n":                   "no credential",
		"identities: [a, b]\n":                     "mapping",
		"identities:\n  a:\n    login: {json: {}}": "needs a url",
		"target: [\n":                              "yaml",
		"targets: x\n":                             "targets",
	} {
		_, err := LoadConfig(writeConfig(t, body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", body, err, want)
		}
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("missing file accepted")
	}
}

// FuzzLoadConfig: any bytes give a config or an error, never a panic.
func FuzzLoadConfig(f *testing.F) {
	f.Add("identities:\n  a:\n    bearer: x\n")
	f.Add("identities:\n  a:\n    login: {url: /l, json: {u: [1, {a: b}]}, token: t}\n")
	f.Add("policy: {\"/a/*\": [x]}\njwt: {secret: s}\n")
	f.Add("&a [*a, *a]")
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _ = LoadConfig(p)
	})
}
