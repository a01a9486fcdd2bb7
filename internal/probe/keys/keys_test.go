package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestServerAddr(t *testing.T) {
	for _, tc := range []struct {
		cb, target, listen, advertise string
		err                           bool
	}{
		{"", "http://127.0.0.1:5000", "127.0.0.1:0", "", false},
		{"", "http://localhost:5000", "127.0.0.1:0", "", false},
		{"", "http://[::1]:5000", "127.0.0.1:0", "", false},
		{"", "https://api.example.com", "", "", true},
		{"10.0.0.5:8999", "https://api.example.com", "10.0.0.5:8999", "http://10.0.0.5:8999", false},
		{"http://scanner.internal:8080", "https://api.example.com", "scanner.internal:8080", "http://scanner.internal:8080", false},
		{"10.0.0.5", "https://api.example.com", "", "", true},
		{"10.0.0.5:0", "https://api.example.com", "", "", true},
		{":8999", "https://api.example.com", "", "", true},
		{"[::1]:8999", "https://api.example.com", "[::1]:8999", "http://[::1]:8999", false},
	} {
		l, a, err := serverAddr(tc.cb, mustURL(t, tc.target))
		if (err != nil) != tc.err || l != tc.listen || a != tc.advertise {
			t.Errorf("serverAddr(%q, %s) = %q, %q, %v", tc.cb, tc.target, l, a, err)
		}
	}
}

func TestKeyServerRecordsFetches(t *testing.T) {
	k := &keyServer{base: "http://127.0.0.1:1", docs: map[string]*served{}}
	u, path := k.publish("jku", "jwks.json", nil, "alice", []byte(`{"keys":[]}`), "application/json")
	if !strings.HasPrefix(u, k.base+"/") || !strings.HasSuffix(path, "/jwks.json") {
		t.Fatalf("publish = %s %s", u, path)
	}
	_, other := k.publish("x5u", "cert.pem", nil, "alice", []byte("pem"), "application/x-pem-file")
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("User-Agent", "python-urllib/3.11")
	k.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.String() != `{"keys":[]}` || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("published path: %d %q", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	k.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/guess/jwks.json", nil))
	if rec.Code != 404 {
		t.Errorf("unknown path: %d", rec.Code)
	}
	if hits := k.fetched(other, false); len(hits) != 0 {
		t.Errorf("unfetched document has %d hits", len(hits))
	}
	if got := k.unreported(); len(got) != 1 || got[0].kind != "jku" || got[0].hits[0].agent != "python-urllib/3.11" {
		t.Fatalf("unreported = %+v", got)
	}
	if got := k.unreported(); len(got) != 0 {
		t.Errorf("a document is reported twice")
	}
	for i := 0; i < 3*maxHits; i++ {
		k.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	if n := len(k.fetched(path, true)); n != maxHits {
		t.Errorf("%d hits recorded, want the cap %d", n, maxHits)
	}
}

func rs256(t *testing.T, header string) *jose.Token {
	t.Helper()
	tok, err := jose.Parse(jose.Assemble([]byte(header), []byte(`{"sub":"a"}`), "c2ln"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestPublicKeys(t *testing.T) {
	r1, _ := rsa.GenerateKey(rand.Reader, 1024)
	r2, _ := rsa.GenerateKey(rand.Reader, 1024)
	e1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pubs := []published{{kid: "old", key: &r1.PublicKey}, {kid: "ec", key: &e1.PublicKey}, {kid: "cur", key: &r2.PublicKey}}

	got := publicKeys(rs256(t, `{"alg":"RS256","kid":"cur"}`), pubs)
	if len(got) != 2 || got[0].kid != "cur" || got[1].kid != "old" {
		t.Errorf("RS256 kid cur: %+v", got)
	}
	got = publicKeys(rs256(t, `{"alg":"ES256"}`), pubs)
	if len(got) != 1 || got[0].kid != "ec" {
		t.Errorf("ES256: %+v", got)
	}
	cert := selfSignedDER(t, r1)
	got = publicKeys(rs256(t, `{"alg":"RS256","x5c":["`+base64.StdEncoding.EncodeToString(cert)+`"]}`), nil)
	if len(got) != 1 || !got[0].key.(*rsa.PublicKey).Equal(&r1.PublicKey) {
		t.Errorf("x5c: %+v", got)
	}
	if got := publicKeys(rs256(t, `{"alg":"RS256","x5c":["!!"]}`), nil); len(got) != 0 {
		t.Errorf("broken x5c gave keys: %+v", got)
	}
}

func selfSignedDER(t *testing.T, k *rsa.PrivateKey) []byte {
	t.Helper()
	p, err := selfSigned(k)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(p)
	if _, err := x509.ParseCertificate(b.Bytes); err != nil {
		t.Fatal(err)
	}
	return b.Bytes
}

func TestHeaderVariants(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 1024)
	tok := rs256(t, `{"alg":"RS256","kid":"k1","x5c":["x"]}`)
	raw, err := keySigned(tok, map[string]any{"jku": "http://h/j.json", "kid": "mine"}, []string{"x5c"}, map[string]any{"authprobe": "c"}, key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := jose.Parse(raw)
	if got.Head["jku"] != "http://h/j.json" || got.Head["kid"] != "mine" || got.Head["x5c"] != nil || got.Claims["authprobe"] != "c" {
		t.Errorf("header %s claims %s", got.HeaderJSON, got.PayloadJSON)
	}
	if err := jose.Verify(got, &key.PublicKey); err != nil || got.Alg() != "RS256" {
		t.Errorf("not RS256-signed by the key: %v", err)
	}
}

func TestConfusionKids(t *testing.T) {
	t.Parallel()
	tok, err := jose.Parse("eyJhbGciOiJSUzI1NiIsImtpZCI6IndlYi0xIn0.eyJzdWIiOiJhbGljZSJ9.c2ln")
	if err != nil {
		t.Fatal(err)
	}
	vs := confusionKids(tok, "web-2")
	var kids []string
	for _, v := range vs {
		p, err := jose.Parse(jose.B64(v.tok.HeaderJSON) + "." + v.tok.Payload + ".c2ln")
		if err != nil {
			t.Fatal(err)
		}
		k, _ := p.Head["kid"].(string)
		kids = append(kids, k)
	}
	want := append([]string{"", "web-2"}, keyFileNames...)
	if strings.Join(kids, ",") != strings.Join(want, ",") {
		t.Errorf("kids %q, want %q", kids, want)
	}
	if string(tok.HeaderJSON) != `{"alg":"RS256","kid":"web-1"}` {
		t.Errorf("the original header changed: %s", tok.HeaderJSON)
	}
}

// TestKeyServerIsFamilyState: every key check shares the family's state,
// and none only tears something down: the key server is the state's, so
// selecting one key check brings it along.
func TestKeyServerIsFamilyState(t *testing.T) {
	for _, c := range Checks() {
		if c.Family != state {
			t.Errorf("%s does not share the family's state", c.ID)
		}
		if c.Scope != probe.PerEndpoint {
			t.Errorf("%s runs per scan or per identity: the family has only endpoint checks", c.ID)
		}
	}
	st, ok := state.New().(*scanState)
	if !ok {
		t.Fatalf("the family's state is %T", state.New())
	}
	st.Finish(context.Background(), nil) // no server started: nothing to do, no panic
}
