package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/jose"
)

// runTokenCmd runs authprobe with args and stdin, returning exit code and output.
func runTokenCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errw)
	return code, out.String(), errw.String()
}

// decodeToken is signed with "secret"; it carries a password and lives 30 days.
func decodeToken(t *testing.T) string {
	t.Helper()
	s, _ := jose.HMAC("HS256", []byte("secret"))
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`),
		[]byte(`{"sub":"alice","iat":1764000000,"nbf":1764000000,"exp":1766592000,"user":{"password":"hunter2"}}`), s)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

const decodeNow = "2025-11-25T00:00:00Z" // 1764028800: 8h after iat

func TestTokenDecodeText(t *testing.T) {
	tok := decodeToken(t)
	code, out, errw := runTokenCmd(t, "", "token", "decode", "--now", decodeNow, tok)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	for _, want := range []string{
		"Header\n  {\n    \"alg\": \"HS256\",\n    \"typ\": \"JWT\"\n  }\n",
		"\"sub\": \"alice\",\n    \"iat\": 1764000000,",
		"exp  1766592000  2025-12-24 16:00:00 UTC  (in 29d16h)",
		"iat  1764000000  2025-11-24 16:00:00 UTC  (8h ago)",
		"nbf  1764000000",
		"Signature\n  32 bytes, alg \"HS256\"",
		"[low] jwt.long-lifetime: Issued JWT lives longer than 24 hours\n    exp - iat is 30d",
		"[high] jwt.sensitive-claims:",
		`"user.password" (its name says it holds a password)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hunter2\n    ") || strings.Contains(out[strings.Index(out, "Issues"):], "hunter2") {
		t.Errorf("an issue prints the secret value")
	}
	if strings.Contains(out, "no-expiry") || strings.Contains(out, "unsigned") {
		t.Errorf("false issue:\n%s", out)
	}
}

func TestTokenDecodeJSONFromStdin(t *testing.T) {
	tok := decodeToken(t)
	code, out, errw := runTokenCmd(t, "Bearer "+tok+"\n", "token", "decode", "--format", "json", "--now", "2026-01-01T00:00:00Z", "-")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var got struct {
		Header map[string]any `json:"header"`
		Claims map[string]any `json:"claims"`
		Times  map[string]struct {
			UTC, Relative, Note string
		} `json:"times"`
		Signature struct {
			Alg   string
			Bytes int
		} `json:"signature"`
		Issues []struct{ Rule, Severity, Detail string } `json:"issues"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if got.Header["alg"] != "HS256" || got.Claims["sub"] != "alice" || got.Signature.Bytes != 32 {
		t.Fatalf("decoded %+v", got)
	}
	if e := got.Times["exp"]; e.Note != "expired" || e.UTC != "2025-12-24 16:00:00 UTC" || !strings.HasSuffix(e.Relative, " ago") {
		t.Fatalf("exp %+v", e)
	}
	rules := map[string]string{}
	for _, is := range got.Issues {
		rules[is.Rule] = is.Severity
	}
	if len(rules) != 2 || rules["jwt.long-lifetime"] != "low" || rules["jwt.sensitive-claims"] != "high" {
		t.Fatalf("issues %+v", got.Issues)
	}
}

func TestTokenDecodeCleanAndUnsigned(t *testing.T) {
	clean := jose.Assemble([]byte(`{"alg":"HS256"}`), []byte(`{"sub":"a","iat":1764000000,"exp":1764000900}`), "AAAA")
	code, out, _ := runTokenCmd(t, "", "token", "decode", "--now", decodeNow, clean)
	if code != ExitOK || !strings.Contains(out, "Issues\n  none\n") || !strings.Contains(out, "expired") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	code, out, _ = runTokenCmd(t, "", "token", "decode", "--format", "json", "--now", decodeNow, clean)
	if code != ExitOK || !strings.Contains(out, `"issues": []`) {
		t.Fatalf("json issues not an empty list:\n%s", out)
	}
	unsigned := jose.Assemble([]byte(`{"alg":"none"}`), []byte(`{"sub":"a"}`), "")
	code, out, _ = runTokenCmd(t, "", "token", "decode", unsigned)
	if code != ExitOK || !strings.Contains(out, "jwt.unsigned-token-issued") || !strings.Contains(out, "jwt.no-expiry") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestTokenDecodeErrors(t *testing.T) {
	tok := decodeToken(t)
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"two segments", "", []string{tok[:strings.LastIndexByte(tok, '.')]}, "2 segments"},
		{"bad base64", "", []string{"eyJ!.eyJ.x"}, "not base64url"},
		{"payload not object", "", []string{jose.Assemble([]byte(`{}`), []byte(`[1]`), "")}, "not an object"},
		{"empty stdin", "", []string{"-"}, "empty token"},
		{"garbage stdin", "hello world", []string{"-"}, "segments"},
		{"no argument", "", nil, "accepts 1 arg"},
		{"bad format", "", []string{"--format", "xml", tok}, "--format"},
		{"bad now", "", []string{"--now", "yesterday", tok}, "--now"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errw := runTokenCmd(t, c.stdin, append([]string{"token", "decode"}, c.args...)...)
			if code != ExitUsage || out != "" || !strings.Contains(errw, c.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errw, c.want)
			}
		})
	}
}
