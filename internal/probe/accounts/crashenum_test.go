package accounts_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// uniqueColumnAPI registers {"login","password"} at POST /auth/register.
// mode "crash": a taken login breaks the insert (500, as a unique column
// does); "same": a taken login gets the answer a new one gets; "broken":
// every registration after the first fails (500): no name told apart.
func uniqueColumnAPI(mode string) http.Handler {
	var mu sync.Mutex
	users, n := map[string]string{"dave": "dave-pw-1"}, 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b map[string]string
		_ = json.NewDecoder(r.Body).Decode(&b)
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "POST /auth/register":
			if b["login"] == "" || b["password"] == "" {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"message":"login and password are required"}`))
				return
			}
			n++
			_, dup := users[b["login"]]
			if mode == "crash" && dup || mode == "broken" && n > 1 {
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`<h1>Internal Server Error</h1>`))
				return
			}
			if !dup {
				users[b["login"]] = b["password"]
			}
			_, _ = w.Write([]byte(`{"message":"ok"}`))
		case "POST /auth/token":
			if pw, ok := users[b["login"]]; !ok || pw != b["password"] {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"token":"t-` + b["login"] + `-0123456789abcdef"}`))
		case "GET /auth/whoami":
			who := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "t-"), "-0123456789abcdef")
			if _, ok := users[who]; !ok {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"login":"` + who + `"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestTakenNameBreaksRegistration: a taken name answered 500 while a new
// one registers (before and after) is registration enumeration; a server
// that answers both alike, or fails every later registration, is not.
func TestTakenNameBreaksRegistration(t *testing.T) {
	for _, mode := range []string{"crash", "same", "broken"} {
		srv := httptest.NewServer(uniqueColumnAPI(mode))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /auth/register", "POST /auth/token", "GET /auth/whoami"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"account.registration"}, nil),
			Identities: []*identity.Identity{{Name: "dave",
				Login: &identity.Login{Method: "POST", URL: "/auth/token", Token: "token",
					JSON: identity.Body{"login": "dave", "password": "dave-pw-1"}}}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range out.Findings {
			found = found || f.Rule == "account.registration-enumeration"
		}
		if found != (mode == "crash") {
			t.Errorf("%s: registration-enumeration %v; notes %q", mode, found, out.Notes)
		}
	}
}
