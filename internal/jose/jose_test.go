package jose

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// hs256 is jwt.io's example token (secret "your-256-bit-secret").
const hs256 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

func TestParseRoundTrip(t *testing.T) {
	tok, err := Parse(hs256)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Raw != hs256 || tok.SigningInput()+"."+tok.Signature != hs256 {
		t.Fatalf("segments do not reassemble to the input")
	}
	if B64(tok.HeaderJSON) != tok.Header || B64(tok.PayloadJSON) != tok.Payload || B64(tok.Sig) != tok.Signature {
		t.Fatalf("decoded bytes do not re-encode to the segments")
	}
	if tok.Alg() != "HS256" || len(tok.Sig) != 32 {
		t.Fatalf("alg %q, %d signature bytes", tok.Alg(), len(tok.Sig))
	}
	if iat, ok := tok.Claims["iat"].(json.Number); !ok || iat.String() != "1516239022" {
		t.Fatalf("iat = %#v, want json.Number 1516239022", tok.Claims["iat"])
	}
	if err := Verify(tok, []byte("your-256-bit-secret")); err != nil {
		t.Fatalf("jwt.io example does not verify: %v", err)
	}
	for _, prefix := range []string{"Bearer ", "bearer "} {
		b, err := Parse(prefix + hs256)
		if err != nil || b.Raw != hs256 {
			t.Fatalf("%q prefix: %v, raw %q", prefix, err, b.Raw)
		}
	}
}

func TestParseErrors(t *testing.T) {
	h, p := B64([]byte(`{"alg":"HS256"}`)), B64([]byte(`{"sub":"a"}`))
	cases := []struct{ name, in, want string }{
		{"empty", "", "empty token"},
		{"bearer only", "Bearer ", "empty token"},
		{"one segment", "abc", "1 segments"},
		{"two segments", h + "." + p, "2 segments: the signature segment is missing"},
		{"four segments", h + "." + p + ".a.b", "4 segments"},
		{"jwe", "a.b.c.d.e", "JWE"},
		{"padded", h + "." + p + "==.", "padded"},
		{"std base64", B64([]byte(`{"a":"??>"}`)) + "+/." + p + ".", "not base64url"},
		{"newline", h + "." + p + ".\nAA", "not base64url"},
		{"leading space", " " + h + "." + p + ".", "whitespace"},
		{"trailing newline", h + "." + p + ".\n", "whitespace"},
		{"impossible length", h + "." + p + ".A", "impossible base64 length"},
		{"empty header", "." + p + ".", "header segment is empty"},
		{"empty payload", h + "..", "payload segment is empty"},
		{"header not json", B64([]byte("alg")) + "." + p + ".", "header is not valid JSON"},
		{"header array", B64([]byte(`["HS256"]`)) + "." + p + ".", "not an object (array)"},
		{"payload string", h + "." + B64([]byte(`"sub"`)) + ".", "payload is JSON but not an object (string)"},
		{"payload null", h + "." + B64([]byte(`null`)) + ".", "(null)"},
		{"trailing data", h + "." + B64([]byte(`{"a":1}{}`)) + ".", "data after"},
		{"truncated json", h + "." + B64([]byte(`{"a":`)) + ".", "not valid JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Parse(c.in)
			if err == nil {
				t.Fatalf("parsed %q: %+v", c.in, tok)
			}
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestParseAcceptsOddButValid(t *testing.T) {
	cases := map[string]string{
		"empty signature":    B64([]byte(`{"alg":"none"}`)) + "." + B64([]byte(`{}`)) + ".",
		"whitespace in json": B64([]byte(" {\"alg\" : \"HS256\"}\n")) + "." + B64([]byte(`{ }`)) + ".AA",
		"alg not a string":   B64([]byte(`{"alg":7}`)) + "." + B64([]byte(`{"n":1e400}`)) + ".",
	}
	for name, in := range cases {
		tok, err := Parse(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tok.Raw != in {
			t.Fatalf("%s: raw changed", name)
		}
	}
	tok, _ := Parse(cases["alg not a string"])
	if tok.Alg() != "" {
		t.Fatalf("Alg() of a numeric alg = %q, want empty", tok.Alg())
	}
}

func TestAssemble(t *testing.T) {
	got := Assemble([]byte(`{"alg":"none"}`), []byte(`{"a":1}`), "")
	if got != "eyJhbGciOiJub25lIn0.eyJhIjoxfQ." {
		t.Fatalf("Assemble = %q", got)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(hs256); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTampered(b *testing.B) {
	tok, err := Parse(hs256)
	if err != nil {
		b.Fatal(err)
	}
	set := map[string]any{"sub": "root", "admin": true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tok.Tampered(set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignHS256(b *testing.B) {
	tok, err := Parse(hs256)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := HMAC("HS256", []byte("secret"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(tok.HeaderJSON, tok.PayloadJSON, s); err != nil {
			b.Fatal(err)
		}
	}
}
