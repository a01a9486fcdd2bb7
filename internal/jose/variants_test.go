package jose

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func mustParse(t *testing.T, s string) *Token {
	t.Helper()
	tok, err := Parse(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return tok
}

// victim is a token the server signed with "secret".
func victim(t *testing.T) *Token {
	t.Helper()
	s, _ := HMAC("HS256", []byte("secret"))
	raw, err := Sign([]byte(`{"typ":"JWT","alg":"HS256","kid":"k1"}`), []byte(`{"sub":"alice","role":"user","exp":1764000900}`), s)
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, raw)
}

func TestTampered(t *testing.T) {
	v := victim(t)
	got, err := v.Tampered(map[string]any{"role": "admin"})
	if err != nil {
		t.Fatal(err)
	}
	tt := mustParse(t, got)
	if tt.Header != v.Header || tt.Signature != v.Signature {
		t.Fatalf("header or signature segment changed")
	}
	if string(tt.PayloadJSON) != `{"sub":"alice","role":"admin","exp":1764000900}` {
		t.Fatalf("payload %s", tt.PayloadJSON)
	}
	if Verify(tt, []byte("secret")) == nil {
		t.Fatalf("a tampered token verifies")
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestRandomSignature(t *testing.T) {
	v := victim(t)
	r := mustParse(t, v.RandomSignature(bytes.NewReader(bytes.Repeat([]byte{7}, 64))))
	if r.SigningInput() != v.SigningInput() || len(r.Sig) != len(v.Sig) || !bytes.Equal(r.Sig, bytes.Repeat([]byte{7}, 32)) {
		t.Fatalf("random signature: %x", r.Sig)
	}
	f := mustParse(t, v.RandomSignature(failReader{}))
	if len(f.Sig) != 32 || f.Sig[0] != ^v.Sig[0] || Verify(f, []byte("secret")) == nil {
		t.Fatalf("fallback signature %x is not the complement", f.Sig)
	}
	// Same bytes as the original from the reader: must still differ.
	same := mustParse(t, v.RandomSignature(bytes.NewReader(v.Sig)))
	if bytes.Equal(same.Sig, v.Sig) {
		t.Fatalf("random signature equals the original")
	}
	unsigned := mustParse(t, v.SigningInput()+".")
	if u := mustParse(t, unsigned.RandomSignature(bytes.NewReader(make([]byte, 32)))); len(u.Sig) != 32 {
		t.Fatalf("empty original: %d random bytes, want 32", len(u.Sig))
	}
}

func TestStripped(t *testing.T) {
	v := victim(t)
	in := v.SigningInput()
	want := map[string]string{
		"empty-signature":      in + ".",
		"no-signature-segment": in,
		"zero-signature":       in + "." + strings.Repeat("A", 43),
		"one-zero-byte":        in + ".AA",
		"truncated-signature":  in + "." + B64(v.Sig[:16]),
	}
	got := v.Stripped()
	if len(got) != len(want) {
		t.Fatalf("%d variants, want %d", len(got), len(want))
	}
	for _, g := range got {
		if want[g.Name] != g.Token {
			t.Errorf("%s = %q, want %q", g.Name, g.Token, want[g.Name])
		}
		if tok, err := Parse(g.Token); err == nil && Verify(tok, []byte("secret")) == nil {
			t.Errorf("%s verifies", g.Name)
		}
	}
}

func TestAlgNone(t *testing.T) {
	v := victim(t)
	vs := AlgNone(v, map[string]any{"role": "admin"})
	if len(vs) != 8 {
		t.Fatalf("%d variants, want 8", len(vs))
	}
	seen := map[string]bool{}
	for i, x := range vs {
		if seen[x.Name] || seen[x.Token] {
			t.Fatalf("duplicate variant %s", x.Name)
		}
		seen[x.Name], seen[x.Token] = true, true
		tok := mustParse(t, x.Token)
		casing := NoneCasings()[i/2]
		if string(tok.HeaderJSON) != `{"typ":"JWT","alg":"`+casing+`","kid":"k1"}` {
			t.Errorf("%s header %s", x.Name, tok.HeaderJSON)
		}
		if tok.Claims["role"] != "admin" || tok.Claims["sub"] != "alice" {
			t.Errorf("%s claims %s", x.Name, tok.PayloadJSON)
		}
		wantSig := ""
		if i%2 == 1 {
			wantSig = v.Signature
		}
		if tok.Signature != wantSig || !strings.Contains(x.Name, casing) {
			t.Errorf("%s signature %q, want %q", x.Name, tok.Signature, wantSig)
		}
	}
	if AlgNone(v, map[string]any{"bad": make(chan int)}) != nil {
		t.Fatalf("unencodable claim did not give nil")
	}
}

func TestResign(t *testing.T) {
	v := victim(t)
	s, _ := HMAC("HS512", nil)
	got, err := v.Resign(map[string]any{"sub": "root"}, s)
	if err != nil {
		t.Fatal(err)
	}
	r := mustParse(t, got)
	if r.Alg() != "HS512" || r.Claims["sub"] != "root" || r.Head["kid"] != "k1" {
		t.Fatalf("resigned %s %s", r.HeaderJSON, r.PayloadJSON)
	}
	if err := Verify(r, []byte{}); err != nil {
		t.Fatalf("blank-key token does not verify with the blank key: %v", err)
	}
	verifyGolangJWT(t, got, []byte{})
	n := mustParse(t, mustResign(t, v, None()))
	if n.Alg() != "none" || n.Signature != "" {
		t.Fatalf("None signer gave %s", n.Raw)
	}
}

func mustResign(t *testing.T, v *Token, s Signer) string {
	t.Helper()
	out, err := v.Resign(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
