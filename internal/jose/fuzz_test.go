package jose

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse: Parse never panics; what it accepts reassembles byte for byte,
// survives claim edits and every variant builder as valid tokens, and audits.
func FuzzParse(f *testing.F) {
	f.Add(hs256)
	f.Add("Bearer " + hs256)
	f.Add("eyJhbGciOiJub25lIn0.eyJhIjoxfQ.")
	f.Add("a.b")
	f.Add("a.b.c.d.e")
	f.Add(B64([]byte(`{"alg":"HS256","alg":"none"}`)) + "." + B64([]byte(`{"x":{"password":"p"},"exp":1e400}`)) + ".AA")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Parse(s)
		if err != nil {
			return
		}
		if tok.SigningInput()+"."+tok.Signature != tok.Raw || !strings.HasSuffix(s, tok.Raw) {
			t.Fatalf("round trip: %q from %q", tok.Raw, s)
		}
		if B64(tok.HeaderJSON) != tok.Header && len(tok.Header)%4 != 1 {
			// Non-canonical trailing bits decode fine but re-encode differently;
			// only the segments, never the decoded bytes, are reused verbatim.
			if _, err := Parse(B64(tok.HeaderJSON) + "." + tok.Payload + "." + tok.Signature); err != nil {
				t.Fatalf("re-encoded header does not parse: %v", err)
			}
		}
		tampered, err := tok.Tampered(map[string]any{"sub": "fuzz", "admin": true})
		if err != nil {
			t.Fatalf("tamper an accepted token: %v", err)
		}
		tt, err := Parse(tampered)
		if err != nil || tt.Claims["sub"] != "fuzz" || tt.Header != tok.Header {
			t.Fatalf("tampered token %q: %v", tampered, err)
		}
		for _, v := range AlgNone(tok, map[string]any{"role": "admin"}) {
			n, err := Parse(v.Token)
			if err != nil || !isNone(n.Alg()) {
				t.Fatalf("%s: %q: %v", v.Name, v.Token, err)
			}
		}
		for _, v := range tok.Stripped() {
			if v.Name != "no-signature-segment" {
				if _, err := Parse(v.Token); err != nil {
					t.Fatalf("%s: %v", v.Name, err)
				}
			}
		}
		if _, err := PsychicSignature(tok, nil); err != nil {
			t.Fatalf("psychic: %v", err)
		}
		_ = Audit(tok, time.Unix(1764000000, 0))
	})
}
