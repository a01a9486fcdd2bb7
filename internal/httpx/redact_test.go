package httpx

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRedactionByDerivation: a credential is hidden in every form it can be
// printed in, not only byte for byte.
func TestRedactionByDerivation(t *testing.T) {
	const key = "sk_live_9f8e7d6c5b4a3210"
	r := NewRedactor()
	r.Add(key)
	cases := map[string]string{
		"exact":              "key " + key + " end",
		"upper":              "key " + strings.ToUpper(key) + " end",
		"prefix 23/24":       "key " + key[:23] + " end",
		"prefix 8":           "key=" + key[:8] + "!",
		"first byte changed": "key=X" + key[1:],
		"url-encoded":        "?k=" + url.QueryEscape(key+"/+"),
		"basic auth":         "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:"+key)),
		"b64 offset 1":       base64.StdEncoding.EncodeToString([]byte("x" + key + "tail")),
		"b64 offset 2":       base64.URLEncoding.EncodeToString([]byte("xy" + key)),
		"cookie":             "Cookie: session=" + key,
	}
	for name, in := range cases {
		out := r.String(in)
		for _, d := range leaks(key) {
			if strings.Contains(strings.ToLower(out), strings.ToLower(d)) {
				t.Errorf("%s: %q still shows %q", name, out, d)
			}
		}
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s: nothing redacted in %q", name, out)
		}
	}
	if got := r.String("an ordinary sentence about sk_ keys"); strings.Contains(got, "redacted") {
		t.Errorf("over-redacted: %q", got)
	}
}

// leaks lists the 8-byte windows of a secret and of its encoded forms.
func leaks(s string) []string {
	var out []string
	for _, v := range Derivations(s) {
		for i := 0; i+MinPrefix <= len(v); i++ {
			out = append(out, v[i:i+MinPrefix])
		}
	}
	return out
}

// TestRedactionJWT: a JWT is hidden whole and by its signature, never by
// its header, which every token of the issuer shares.
func TestRedactionJWT(t *testing.T) {
	tok := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVzLWxvbmc"
	r := NewRedactor()
	r.Add(tok)
	if out := r.String("t=" + tok); strings.Contains(out, "c2lnbmF0") {
		t.Fatalf("token shown: %s", out)
	}
	forged := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.b3RoZXI"
	if out := r.String(forged); out != forged {
		t.Fatalf("a forged token's header must stay readable: %s", out)
	}
	if out := r.String("sig c2lnbmF0dXJlLWJ5dGVz"); strings.Contains(out, "c2lnbmF0dXJl") {
		t.Fatalf("signature prefix shown: %s", out)
	}
}

// TestCurlCookieSignature: a cookie signed with a recovered key is a working
// credential; curl evidence shows its readable part only.
func TestCurlCookieSignature(t *testing.T) {
	r := NewRedactor()
	forged := "eyJ1c2VyIjoiYWRtaW4ifQ.Z2yq1w.kN3vXr0lJ8Hj1T1kq7m2wYc5vQ4"
	curl := r.Curl(&Request{Method: "GET", URL: "http://h/x", Header: http.Header{"Cookie": {"session=" + forged}}})
	if strings.Contains(curl, "kN3vXr0lJ8Hj") || !strings.Contains(curl, "session=eyJ1c2VyIjoiYWRtaW4ifQ.Z2yq1w.[sig-redacted]") {
		t.Fatalf("curl: %s", curl)
	}
}

// TestTokenCompressedCookie: a compressed Flask session (leading dot, three
// dots) forged with a recovered key shows no signature either.
func TestTokenCompressedCookie(t *testing.T) {
	got := NewRedactor().Token(".eJwrSi0uyc8rBgAKXAKs.Z2yq1w.kN3vXr0lJ8Hj1T1kq7m2wYc5vQ4")
	if got != ".eJwrSi0uyc8rBgAKXAKs.Z2yq1w.[sig-redacted]" {
		t.Fatalf("Token: %s", got)
	}
}

// TestCarriedValuesHidden: whatever the scan sent where a credential goes
// is hidden, registered or not: a guessed key, a one-character token, a
// key in the query, a session cookie; a plain header and an ordinary query
// parameter stay readable, and --show-secrets shows everything.
func TestCarriedValuesHidden(t *testing.T) {
	r := NewRedactor()
	req := &Request{Method: "GET", URL: "http://h/api/cafes/7?key=guess-Zq81xw&page=2", Header: http.Header{
		"Authorization": {"2"}, "X-Api-Key": {"authprobe-k3y9q"}, "X-User": {"bob"},
		"Cookie": {"sid=abc123; theme=dark"},
	}}
	for _, place := range []string{"header:Authorization", "header:x-api-key", "query:key", "cookie:sid"} {
		req.Carry(place)
	}
	curl := r.Curl(req)
	for _, sent := range []string{"Authorization: 2'", "authprobe-k3y9q", "guess-Zq81xw", "sid=abc123"} {
		if strings.Contains(curl, sent) {
			t.Errorf("curl shows %q: %s", sent, curl)
		}
	}
	for _, plain := range []string{"X-User: bob", "theme=dark", "page=2", "/api/cafes/7"} {
		if !strings.Contains(curl, plain) {
			t.Errorf("curl hides %q: %s", plain, curl)
		}
	}
	if u := r.URL(req); strings.Contains(u, "guess-Zq81xw") || !strings.Contains(u, "page=2") {
		t.Errorf("URL: %s", u)
	}
	// Bearer with a scheme: the scheme stays, the value goes; a forged JWT
	// keeps its readable header and payload.
	req2 := &Request{Method: "GET", URL: "http://h/x", Header: http.Header{"Authorization": {"Token 7"}}}
	if c := r.Curl(req2); strings.Contains(c, "Token 7'") || !strings.Contains(c, "Token [redacted]") {
		t.Errorf("scheme value: %s", c)
	}
	forged := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLWJ5dGVz"
	req3 := &Request{Method: "GET", URL: "http://h/x", Header: http.Header{"Authorization": {"Bearer " + forged}}}
	if c := r.Curl(req3); strings.Contains(c, "c2lnbmF0dXJl") || !strings.Contains(c, "eyJzdWIiOiJib2IifQ.[sig-redacted]") {
		t.Errorf("forged token: %s", c)
	}
	r.Show = true
	if c := r.Curl(req); !strings.Contains(c, "authprobe-k3y9q") || !strings.Contains(r.URL(req), "guess-Zq81xw") {
		t.Errorf("--show-secrets hides: %s", c)
	}
}

// TestKnownShortSecret: a one-character credential is known to the
// redactor (so no replay writes it out) without blanking that character
// in ordinary text.
func TestKnownShortSecret(t *testing.T) {
	r := NewRedactor()
	r.Add("3", "sk_live_9f8e7d6c")
	if !r.Known("3") || !r.Known("sk_live_9f8e7d6c") || r.Known("4") {
		t.Fatal("Known: registered values, short ones included")
	}
	if got := r.String("record 3 of 13"); got != "record 3 of 13" {
		t.Fatalf("a short secret masked in text: %q", got)
	}
}

// A short secret that is part of a longer public word (a login's user
// name "test" inside the identity name "tester") is not masked there, and
// is still masked where it stands alone.
func TestSecretInsidePublicWord(t *testing.T) {
	r := NewRedactor()
	r.Public("tester")
	r.Add("test")
	got := r.String(`identity tester: {"username":"test"} TESTER`)
	want := `identity tester: {"username":"[redacted]"} TESTER`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Without the public word, the secret is masked inside other words too.
	r2 := NewRedactor()
	r2.Add("test")
	if got := r2.String("tester"); got != "[redacted]er" {
		t.Fatalf("no public word: got %s", got)
	}
}

// Names of places are public: a key inside a longer header, parameter or
// cookie name is not masked there, and its value still is everywhere,
// in every shape (a note, a curl line, a query string).
func TestSecretInsidePlaceName(t *testing.T) {
	r := NewRedactor()
	r.Places("my_api_key_name", "access_token_query", "sid")
	r.Add("my_api_key", "access_token")
	cases := map[string]string{
		"identity service: key sent as header:my_api_key_name": "identity service: key sent as header:my_api_key_name",
		"curl -H 'My_Api_Key_Name: my_api_key' http://h/":      "curl -H 'My_Api_Key_Name: my_api…[redacted]' http://h/",
		"GET /x?access_token_query=access_token&n=1":           "GET /x?access_token_query=access…[redacted]&n=1",
		`{"echo":"my_api_key"}`:                                `{"echo":"my_api…[redacted]"}`,
	}
	for in, want := range cases {
		if got := r.String(in); got != want {
			t.Errorf("String(%q)\n got  %s\n want %s", in, got, want)
		}
	}
	// A place named exactly like the secret protects nothing: the value
	// alone is still hidden (unlike Public, which would pass it).
	r2 := NewRedactor()
	r2.Places("api_key_1")
	r2.Add("api_key_1")
	if got := r2.String("api_key_1: api_key_1"); strings.Contains(got, "api_key_1") {
		t.Fatalf("a place equal to the secret let it through: %s", got)
	}
	// Without the place, the name is masked (what batch 6 reported).
	r3 := NewRedactor()
	r3.Add("my_api_key")
	if got := r3.String("header:my_api_key_name"); got != "header:my_api…[redacted]_name" {
		t.Fatalf("no place: got %s", got)
	}
}
