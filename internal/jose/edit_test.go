package jose

import (
	"encoding/json"
	"testing"
)

func TestSetClaims(t *testing.T) {
	cases := []struct {
		name, in string
		set      map[string]any
		del      []string
		want     string
	}{
		{"replace keeps place", `{"sub":"alice","role":"user","exp":1}`, map[string]any{"role": "admin"}, nil,
			`{"sub":"alice","role":"admin","exp":1}`},
		{"spacing kept", `{ "sub" : "alice",  "n": 1.50 , "x":[1, 2] }`, map[string]any{"sub": "bob"}, nil,
			`{ "sub" : "bob",  "n": 1.50 , "x":[1, 2] }`},
		{"new appended sorted", `{"a":1}`, map[string]any{"z": true, "b": nil}, nil,
			`{"a":1,"b":null,"z":true}`},
		{"into empty", `{}`, map[string]any{"admin": true}, nil, `{"admin":true}`},
		{"delete middle", `{"a":1,"b":2,"c":3}`, nil, []string{"b"}, `{"a":1,"c":3}`},
		{"delete first", `{"a":1, "b":2}`, nil, []string{"a"}, `{"b":2}`},
		{"delete last", `{"a":1,"b":2}`, nil, []string{"b"}, `{"a":1}`},
		{"delete all", `{"a":1}`, nil, []string{"a"}, `{}`},
		{"delete missing", `{"a":1}`, nil, []string{"q"}, `{"a":1}`},
		{"set wins over delete", `{"a":1}`, map[string]any{"a": 2}, []string{"a"}, `{"a":2}`},
		{"duplicates all replaced", `{"r":"u","x":0,"r":"v"}`, map[string]any{"r": "admin"}, nil,
			`{"r":"admin","x":0,"r":"admin"}`},
		{"escaped name matched", `{"r\u006fle":"user"}`, map[string]any{"role": "admin"}, nil, `{"r\u006fle":"admin"}`},
		{"nested values skipped correctly", `{"o":{"role":"x","s":"}\"{"},"role":"user"}`, map[string]any{"role": "admin"}, nil,
			`{"o":{"role":"x","s":"}\"{"},"role":"admin"}`},
		{"no html escaping", `{}`, map[string]any{"x": "<a&b>"}, nil, `{"x":"<a&b>"}`},
		{"raw json value", `{"a":1}`, map[string]any{"a": json.RawMessage(`{"k":[1]}`)}, nil, `{"a":{"k":[1]}}`},
		{"number kept exact", `{"n":12345678901234567890}`, map[string]any{"m": json.Number("1e3")}, nil,
			`{"n":12345678901234567890,"m":1e3}`},
		{"nothing to do", ` {"a" :1} `, nil, nil, ` {"a" :1} `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SetClaims([]byte(c.in), c.set, c.del...)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Fatalf("got  %s\nwant %s", got, c.want)
			}
			if !json.Valid(got) {
				t.Fatalf("result is not valid JSON: %s", got)
			}
		})
	}
}

func TestSetClaimsErrors(t *testing.T) {
	for _, in := range []string{`[1]`, `"s"`, `{"a":}`, ``} {
		if _, err := SetClaims([]byte(in), map[string]any{"a": 1}); err == nil {
			t.Errorf("SetClaims(%q) did not fail", in)
		}
	}
	if _, err := SetHeader([]byte(`{}`), map[string]any{"f": func() {}}); err == nil {
		t.Errorf("an unencodable value did not fail")
	}
}

func TestSignSetsAlg(t *testing.T) {
	s, _ := HMAC("HS384", []byte("k"))
	tok, err := Sign([]byte(`{"typ":"JWT","alg":"RS256","kid":"a"}`), []byte(`{"a":1}`), s)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	if string(p.HeaderJSON) != `{"typ":"JWT","alg":"HS384","kid":"a"}` || len(p.Sig) != 48 {
		t.Fatalf("header %s, %d signature bytes", p.HeaderJSON, len(p.Sig))
	}
	kept, _ := SignKeepAlg([]byte(`{"alg":"RS256"}`), []byte(`{}`), s)
	if k, _ := Parse(kept); k.Alg() != "RS256" || Verify(k, []byte("k")) == nil {
		t.Fatalf("SignKeepAlg changed the alg or verified as RS256: %s", kept)
	}
}

func TestSignerAlgChecks(t *testing.T) {
	for _, alg := range []string{"HS128", "RS256", "hs256", "HS2566", ""} {
		if _, err := HMAC(alg, nil); err == nil {
			t.Errorf("HMAC(%q) accepted", alg)
		}
	}
	for _, alg := range []string{"HS256", "ES256", "RS1"} {
		if _, err := RSA(alg, nil); err == nil {
			t.Errorf("RSA(%q) accepted", alg)
		}
	}
	if _, err := RSA("RS256", nil); err == nil {
		t.Errorf("RSA without a key accepted")
	}
}
