package cli

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// hs256Token signs with crypto/hmac, independently of internal/crack.
func hs256Token(secret string) string {
	msg := b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(`{"sub":"alice","role":"user"}`)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return msg + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// flaskCookie returns a cookie Flask itself set, from internal/crack's vectors.
func flaskCookie(t *testing.T, secret string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "crack", "testdata", "flask_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors []struct{ Secret, Cookie string }
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, v := range doc.Vectors {
		if v.Secret == secret {
			return v.Cookie
		}
	}
	t.Fatalf("no Flask vector with secret %q", secret)
	return ""
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestTokenCrackFinds(t *testing.T) {
	dir := t.TempDir()
	words := filepath.Join(dir, "words.txt")
	if err := os.WriteFile(words, []byte("alpha\nDragon\nzebra\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, stdin, want string
		args              []string
	}{
		{"builtin", "", "your-256-bit-secret", []string{hs256Token("your-256-bit-secret")}},
		{"show-secrets accepted", "", "your-256-bit-secret", []string{"--show-secrets", hs256Token("your-256-bit-secret")}},
		{"stdin wordlist", "a\nb\nlemon-tree-42\n", "lemon-tree-42", []string{"--no-builtin", "--wordlist", "-", hs256Token("lemon-tree-42")}},
		{"file and rules", "", "Dr4g0n2024", []string{"--no-builtin", "--wordlist", words, "--rules", hs256Token("Dr4g0n2024")}},
		{"stdin and rules", "zebra\n", "ZEBRA!", []string{"--no-builtin", "--wordlist", "-", "--rules", hs256Token("ZEBRA!")}},
		{"mask", "", "Kx7", []string{"--no-builtin", "--mask", "?1?l?d", "-1", "JK", hs256Token("Kx7")}},
		{"increment", "", "q9", []string{"--no-builtin", "--mask", "?l?d?d?d", "--increment", hs256Token("q9")}},
		{"flask builtin", "", "dev", []string{flaskCookie(t, "dev")}},
		{"flask mask", "", "zq7", []string{"--mask", "?l?l?d", "session=" + flaskCookie(t, "zq7")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, c.stdin, append([]string{"token", "crack"}, c.args...)...)
			if code != 0 || out != c.want+"\n" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and %q", code, out, errs, c.want)
			}
			if !strings.Contains(errs, "guesses/s") {
				t.Errorf("stderr lacks the rate: %q", errs)
			}
		})
	}
}

func TestTokenCrackJSON(t *testing.T) {
	code, out, _ := runCLI(t, "", "token", "crack", "--format", "json", hs256Token("changeme"))
	var res struct {
		Kind   string
		Found  bool
		Secret string
		Known  bool `json:"known_default"`
		Tried  uint64
		Rate   float64
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v: %q", err, out)
	}
	if code != 0 || !res.Found || res.Secret != "changeme" || !res.Known || res.Kind != "HS256" || res.Tried == 0 || res.Rate <= 0 {
		t.Fatalf("exit %d, result %+v", code, res)
	}
}

func TestTokenCrackNotFound(t *testing.T) {
	code, out, errs := runCLI(t, "", "token", "crack", "--no-builtin", "--mask", "?d?d", hs256Token("not-a-number"))
	if code != ExitFindings || out != "" || !strings.Contains(errs, "not found (candidates exhausted)") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "token", "crack", "--format", "json", "--no-builtin", "--time-limit", "200ms",
		"--mask", "?a?a?a?a?a?a?a?a?a", hs256Token("unreachable"))
	if code != ExitFindings || !strings.Contains(errs, "time limit") || !strings.Contains(out, `"stopped": "time limit reached"`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestTokenCrackBadInput(t *testing.T) {
	rs := b64(`{"alg":"RS256"}`) + "." + b64(`{}`) + "." + b64(strings.Repeat("s", 256))
	tok := hs256Token("x")
	cases := map[string][]string{
		"garbage":           {"not-a-token"},
		"rs256":             {rs},
		"bad mask":          {"--mask", "?z", tok},
		"undefined charset": {"--mask", "?3", tok},
		"increment no mask": {"--increment", tok},
		"bad format":        {"--format", "xml", tok},
		"no candidates":     {"--no-builtin", tok},
		"missing wordlist":  {"--wordlist", filepath.Join(t.TempDir(), "absent.txt"), tok},
		"stdin twice":       {"--wordlist", "-", "--wordlist", "-", tok},
		"no token":          {},
	}
	for name, args := range cases {
		code, out, errs := runCLI(t, "", append([]string{"token", "crack"}, args...)...)
		if code != ExitUsage || out != "" || errs == "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 with a message", name, code, out, errs)
		}
	}
	_, _, errs := runCLI(t, "", "token", "crack", rs)
	if !strings.Contains(errs, "RS256") {
		t.Errorf("RS256 token: message %q does not name the algorithm", errs)
	}
}
