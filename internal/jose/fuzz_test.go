package jose

import (
	"encoding/json"
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

// FuzzSetClaims: editing any JSON object gives valid JSON that decodes to
// the original object with the edit applied, and nothing else changed.
func FuzzSetClaims(f *testing.F) {
	f.Add([]byte(`{"sub":"a","role":"user"}`), "role", "admin", "sub")
	f.Add([]byte(` { "a" : [1,{"b":"}"}] , "a":2 } `), "a", "x", "q")
	f.Add([]byte(`{}`), "", "", "")
	f.Fuzz(func(t *testing.T, obj []byte, key, val, del string) {
		before, err := decodeObject("fuzz", obj)
		if err != nil {
			return
		}
		got, err := SetClaims(obj, map[string]any{key: val}, del)
		if err != nil {
			t.Fatalf("SetClaims(%q): %v", obj, err)
		}
		after, err := decodeObject("fuzz", got)
		if err != nil {
			t.Fatalf("SetClaims(%q) = %q: %v", obj, got, err)
		}
		if del != key {
			delete(before, del)
		}
		before[jsonString(key)] = jsonString(val)
		want, _ := json.Marshal(before)
		have, _ := json.Marshal(after)
		if string(want) != string(have) {
			t.Fatalf("SetClaims(%q, %q=%q, del %q) = %s\nwant %s", obj, key, val, del, have, want)
		}
	})
}

// jsonString is s as it reads back from JSON: invalid bytes become U+FFFD.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}
