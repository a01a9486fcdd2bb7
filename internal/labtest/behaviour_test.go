package labtest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The tests in this file pin down each lab's ground truth independently of
// the scanner: every bug a manifest claims is exercised by hand-made requests
// (forged tokens, bad keys, other principals), and so is every rejection the
// secure twins promise. A change in a lab, or in the Python packages it runs
// on, that invalidates a manifest fails here first.

var b64 = base64.RawURLEncoding

// forge builds HS256 (or, with alg none, unsigned) tokens from a valid one.
type forge struct{ header, payload, sig string }

func split(t *testing.T, token string) forge {
	t.Helper()
	p := strings.Split(token, ".")
	if len(p) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	return forge{p[0], p[1], p[2]}
}

func seg(v any) string {
	data, _ := json.Marshal(v)
	return b64.EncodeToString(data)
}

func hs256(key, input string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(input))
	return b64.EncodeToString(m.Sum(nil))
}

// claims decodes the payload segment.
func (f forge) claims(t *testing.T) map[string]any {
	t.Helper()
	data, err := b64.DecodeString(f.payload)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (f forge) tampered(t *testing.T, key string, value any) string {
	c := f.claims(t)
	c[key] = value
	return f.header + "." + seg(c) + "." + f.sig
}

// randomSig keeps header and payload and replaces the signature.
func (f forge) randomSig() string {
	return f.header + "." + f.payload + "." + b64.EncodeToString([]byte(rand.Text()))
}

// stripped keeps header and payload with an empty signature segment.
func (f forge) stripped() string { return f.header + "." + f.payload + "." }

// none re-issues the payload unsigned under the given spelling of "none".
func (f forge) none(alg string) string {
	return seg(map[string]string{"alg": alg, "typ": "JWT"}) + "." + f.payload + "."
}

// resigned signs the claims plus a fresh jti with key: a payload the server
// has never seen, so only a matching key can make it valid.
func (f forge) resigned(t *testing.T, key string) string {
	c := f.claims(t)
	c["jti"] = rand.Text()
	h, p := seg(map[string]string{"alg": "HS256", "typ": "JWT"}), seg(c)
	return h + "." + p + "." + hs256(key, h+"."+p)
}

// call sends a GET with the given headers and returns status and body.
func call(t *testing.T, url string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header[http.CanonicalHeaderKey(k)] = []string{v}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// loginAs logs an identity of the lab's config in and returns its credential.
func loginAs(t *testing.T, lab *Lab, identity string) string {
	t.Helper()
	cfg := loadConfig(t, lab.Dir)
	id := cfg.Identities[identity]
	if id == nil || id.Login == nil {
		t.Fatalf("%s: no login flow for %s", lab.Name, identity)
	}
	token, err := doLogin(lab.URL, id.Login, false)
	if err != nil {
		t.Fatalf("%s: login %s: %v", lab.Name, identity, err)
	}
	return token
}

// accepted reports whether a response is the route's success, not a refusal;
// a 200 whose JSON body says ok:false is a refusal.
func accepted(status int, body string) bool {
	return status == http.StatusOK && !strings.Contains(body, `"ok":false`)
}

// expectAccess runs each case and compares acceptance with want.
func expectAccess(t *testing.T, url string, cases map[string]map[string]string, want map[string]bool) {
	t.Helper()
	for name, headers := range cases {
		status, body := call(t, url, headers)
		if got := accepted(status, body); got != want[name] {
			t.Errorf("GET %s with %s: status %d, accepted=%v, want %v (%.80s)", url, name, status, got, want[name], body)
		}
	}
}
