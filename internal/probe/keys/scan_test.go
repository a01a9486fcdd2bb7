package keys_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
)

// keyAPI is a Go service unlike the Flask labs: the token travels in a
// cookie, the key set is only reachable through the OpenID configuration
// at a non-standard path, the confusion bug keys HMAC with the PKCS#1 PEM
// without its newline, and the kid lookup is an emulated injectable query.
type keyAPI struct {
	key  *rsa.PrivateKey
	pkcs []byte
}

var union = regexp.MustCompile(`^[^']*' UNION SELECT '([^']*)'`)

func (a *keyAPI) verify(r *http.Request, route string) bool {
	c, err := r.Cookie("auth")
	if err != nil {
		return false
	}
	tok, err := jose.Parse(c.Value)
	if err != nil {
		return false
	}
	kid, _ := tok.Head["kid"].(string)
	switch {
	case route == "/legacy" && tok.Alg() == "HS256":
		return jose.Verify(tok, a.pkcs) == nil
	case route == "/tenant" && tok.Head["jku"] != nil:
		u, _ := tok.Head["jku"].(string)
		resp, err := http.Get(u)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		keys, err := jose.ParseJWKS(body)
		if err != nil {
			return false
		}
		for _, k := range keys {
			if k.Kid == kid && tok.Alg() == "RS256" {
				return jose.Verify(tok, k.Key) == nil
			}
		}
		return false
	case route == "/lax" && tok.Alg() == "HS256":
		return true // any HS256 token: every key attack's control must catch it
	case route == "/lookup" && tok.Alg() == "HS256":
		if m := union.FindStringSubmatch(kid); m != nil {
			return jose.Verify(tok, []byte(m[1])) == nil
		}
		return false
	}
	return tok.Alg() == "RS256" && kid == "k1" && jose.Verify(tok, &a.key.PublicKey) == nil
}

func (a *keyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		_ = json.NewEncoder(w).Encode(map[string]string{"jwks_uri": "http://" + r.Host + "/oauth/v1/certs"})
	case "/oauth/v1/certs":
		set, _ := jose.JWKS(jose.JWK{Kid: "k1", Key: &a.key.PublicKey})
		_, _ = w.Write(set)
	case "/account", "/legacy", "/tenant", "/lookup", "/lax":
		if !a.verify(r, r.URL.Path) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"forbidden"}`))
			return
		}
		_, _ = w.Write([]byte(`{"account":{"plan":"team","seats":4}}`))
	default:
		http.NotFound(w, r)
	}
}

// TestKeyAttacksOnAnotherStack scans keyAPI: the three key bugs are found
// where they are, nothing on the correct route, and nothing on a route that
// takes any HS256 token (every positive there fails its negative control).
func TestKeyAttacksOnAnotherStack(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pk := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)})
	api := &keyAPI{key: key, pkcs: []byte(strings.TrimRight(string(pk), "\n"))}
	srv := httptest.NewServer(api)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	s, _ := jose.RSA("RS256", key)
	exp := time.Now().Add(10 * time.Minute).Unix()
	tok, err := jose.Sign([]byte(`{"typ":"JWT","kid":"k1"}`), []byte(`{"sub":"u-81","exp":`+jsonInt(exp)+`}`), s)
	if err != nil {
		t.Fatal(err)
	}
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	for _, line := range []string{"GET /account", "GET /legacy", "GET /tenant", "GET /lookup", "GET /lax"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		inv.Add(ep)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := engine.Run(ctx, engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
		Identities: []*identity.Identity{{Name: "svc", Base: identity.Creds{Cookies: map[string]string{"auth": tok}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range out.Findings {
		if f.Endpoint != nil {
			got = append(got, f.Rule+" "+f.Endpoint.Path)
		}
	}
	sort.Strings(got)
	want := []string{"jwt.alg-confusion /legacy", "jwt.jku-trusted /tenant", "jwt.kid-sqli /lookup"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
