package apikey_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// recordAPI serves GET /user/{id} to the holder of the token mapped to
// that id; tokens maps a token to its user id.
func recordAPI(header string, tokens map[string]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/user/")
		uid, ok := tokens[r.Header.Get(header)]
		switch {
		case !ok:
			http.Error(w, `{"error":"invalid token"}`, 401)
		case uid != id:
			http.Error(w, `{"error":"access denied"}`, 403)
		default:
			w.Write([]byte(`{"id":` + id + `,"name":"user ` + id + `"}`))
		}
	}))
}

func scanRecords(t *testing.T, srv *httptest.Server, header string, keys map[string]string, bearer string) *engine.Outcome {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := inventory.ParseEndpoint("GET /user/{id}")
	ep.Params[0].Example = "1"
	checks, err := engine.Select(engine.Registry(), []string{"apikey.sequential-keys"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []*identity.Identity
	for _, name := range []string{"john", "rahul"} {
		ids = append(ids, &identity.Identity{Name: name, Base: identity.Creds{Bearer: bearer, Headers: map[string]string{header: keys[name]}}})
	}
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Checks: checks,
		Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}}, Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKeyIsRecordNumber: the token is the user's id and no other user
// exists, so no unheld neighbour gets in; a key guessed one step along is
// served the record with that number, which the identity's own key is
// refused — one finding. The twin's tokens are random: nothing.
func TestKeyIsRecordNumber(t *testing.T) {
	t.Parallel()
	srv := recordAPI("Authorization", map[string]string{"1": "1", "2": "2"})
	defer srv.Close()
	out := scanRecords(t, srv, "Authorization", map[string]string{"john": "1", "rahul": "2"}, "")
	var found int
	for _, f := range out.Findings {
		if f.Rule == "apikey.sequential-keys" {
			found++
			if f.Evidence == nil || f.Evidence.Status != 200 {
				t.Errorf("finding without its proving request: %+v", f)
			}
		}
	}
	if found != 1 {
		t.Fatalf("%d sequential-key findings, want 1: %+v", found, out.Findings)
	}

	secure := map[string]string{"john": "tk_9f2c4e1a7b", "rahul": "tk_3d8a6b0c5e"}
	srv2 := recordAPI("Authorization", map[string]string{secure["john"]: "1", secure["rahul"]: "2"})
	defer srv2.Close()
	if out := scanRecords(t, srv2, "Authorization", secure, ""); len(out.Findings) != 0 {
		t.Errorf("random tokens: %+v", out.Findings)
	}
}
