package transport

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// The spec's alternatives, as FastAPI writes them for a dependency taking
// APIKeyQuery and APIKeyHeader: each scheme exactly, a header before a
// query parameter, whatever the schemes' names sort as.
func TestFromSpecAlternatives(t *testing.T) {
	t.Parallel()
	inv := &inventory.Inventory{
		Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/getUserData", Security: [][]string{{"APIKeyQuery"}, {"APIKeyHeader"}}}},
		Schemes: map[string]inventory.Scheme{
			"APIKeyQuery":  {Name: "APIKeyQuery", Type: "apiKey", In: "query", Param: "api_key"},
			"APIKeyHeader": {Name: "APIKeyHeader", Type: "apiKey", In: "header", Param: "api_key"},
			"unused":       {Name: "unused", Type: "apiKey", In: "header", Param: "X-Other"},
		},
	}
	var got []string
	for _, c := range FromSpec(inv) {
		got = append(got, c.Use+" ("+c.Why+")")
	}
	want := "header:api_key (the spec's security scheme APIKeyHeader)|query:api_key (the spec's security scheme APIKeyQuery)"
	if strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// altServer accepts the credential in either of two places and refuses
// anything else with a message that names neither (403 "User not Found").
func altServer(accept func(r *http.Request) bool, sent *[]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			_ = json.NewEncoder(w).Encode(map[string]any{"token": "opaque-session-value"})
			return
		}
		*sent = append(*sent, r.URL.RawQuery+"|"+r.Header.Get("Authorization")+"|"+r.Header.Get("Cookie")+"|"+r.Header.Get("api_key"))
		if !accept(r) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"detail":"User not Found"}`))
			return
		}
		_, _ = w.Write([]byte(`{"username":"alice"}`))
	})
}

func inferSpec(t *testing.T, h http.Handler, id *identity.Identity, inv *inventory.Inventory) []string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	return Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}})
}

// A key the API reads from an api_key header or an api_key query
// parameter (both in its spec): it is sent in the header the spec names,
// not in the common key parameter that also happens to be served, nor as
// the Bearer token a disagreement of schemes once fell back to.
func TestInferKeyFromSpecAlternatives(t *testing.T) {
	t.Parallel()
	var sent []string
	h := altServer(func(r *http.Request) bool {
		return r.Header.Get("api_key") == "K3y-value" || r.URL.Query().Get("api_key") == "K3y-value"
	}, &sent)
	inv := &inventory.Inventory{
		Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/getUserData", Security: [][]string{{"APIKeyQuery"}, {"APIKeyHeader"}}}},
		Schemes: map[string]inventory.Scheme{
			"APIKeyQuery":  {Name: "APIKeyQuery", Type: "apiKey", In: "query", Param: "api_key"},
			"APIKeyHeader": {Name: "APIKeyHeader", Type: "apiKey", In: "header", Param: "api_key"},
		},
	}
	id := &identity.Identity{Name: "alice", Base: identity.Creds{Unplaced: "K3y-value"}}
	notes := inferSpec(t, h, id, inv)
	c, _ := id.Creds(context.Background(), nil)
	if c.Headers["api_key"] != "K3y-value" || len(c.Query) != 0 {
		t.Fatalf("creds %+v; notes %q; sent %q", c, notes, sent)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "the spec's security scheme APIKeyHeader") || strings.Contains(notes[0], "K3y-value") {
		t.Errorf("notes %q", notes)
	}
	if len(sent) != 2 { // the anonymous challenge, then the header served
		t.Errorf("requests %q, want 2", sent)
	}
}

// Another shape: a login's opaque token that the spec says travels in a
// cookie or a query parameter (no Bearer scheme at all): the cookie is
// confirmed, where the old reading of disagreeing schemes tried Bearer
// and never the spec's own places.
func TestInferLoginTokenFromSpecCookie(t *testing.T) {
	t.Parallel()
	var sent []string
	h := altServer(func(r *http.Request) bool {
		ck, err := r.Cookie("sid")
		return err == nil && ck.Value == "opaque-session-value" || r.URL.Query().Get("sid") == "opaque-session-value"
	}, &sent)
	inv := &inventory.Inventory{
		Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/me", Security: [][]string{{"sidQuery"}, {"sidCookie"}}}},
		Schemes: map[string]inventory.Scheme{
			"sidQuery":  {Name: "sidQuery", Type: "apiKey", In: "query", Param: "sid"},
			"sidCookie": {Name: "sidCookie", Type: "apiKey", In: "cookie", Param: "sid"},
		},
	}
	id := &identity.Identity{Name: "carol", Login: &identity.Login{Method: "POST", URL: "/login", JSON: identity.Body{"u": "c"}, Token: "token"}}
	notes := inferSpec(t, h, id, inv)
	if id.Login.Use != "cookie:sid" || len(notes) != 1 || !strings.Contains(notes[0], "served by GET /me") {
		t.Errorf("use %q; notes %q; sent %q", id.Login.Use, notes, sent)
	}
}
