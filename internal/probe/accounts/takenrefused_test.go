package accounts_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// hexPasswordAPI registers {"login","password"} at POST /signup but only
// takes a hex-encoded password, which the scan never sends. mode
// "taken-first": a taken login is refused as such before the password is
// read; "password-first": the password is read first, so every name gets
// the same refusal; "closed": every registration is refused alike;
// "invite-only": a new login is refused by name (a refusal about the
// name, after which a configured identity's name is never sent).
func hexPasswordAPI(mode string, takenSent *atomic.Int64) http.Handler {
	var mu sync.Mutex
	users := map[string]string{"erin@example.com": "erin-pw-1"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b map[string]string
		_ = json.NewDecoder(r.Body).Decode(&b)
		w.Header().Set("Content-Type", "application/json")
		refuse := func(msg string) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"` + msg + `"}`))
		}
		switch r.Method + " " + r.URL.Path {
		case "POST /signup":
			if b["login"] == "" || b["password"] == "" {
				refuse("login and password are required")
				return
			}
			_, dup := users[b["login"]]
			_, err := hex.DecodeString(b["password"])
			if b["login"] == "erin@example.com" {
				takenSent.Add(1)
			}
			switch {
			case mode == "invite-only" && !dup:
				refuse("this login is not on the invite list")
			case mode == "closed":
				refuse("sign-ups are closed")
			case mode == "taken-first" && dup:
				refuse("this login already has an account")
			case err != nil:
				refuse("the password must be hex-encoded")
			case dup:
				refuse("this login already has an account")
			default:
				users[b["login"]] = b["password"]
				w.WriteHeader(http.StatusCreated)
			}
		case "POST /session":
			if pw, ok := users[b["login"]]; !ok || pw != b["password"] {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"jwt":"s-erin-0123456789abcdef"}`))
		case "GET /me":
			if r.Header.Get("Authorization") != "Bearer s-erin-0123456789abcdef" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"login":"erin@example.com"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
}

// TestTakenNameWhenRegistrationRefuses: a registration that refuses the
// scan's accounts for a reason of its own (a password format) but says a
// configured identity's name is taken before reading the password is
// registration enumeration; one that reads the password first, or is
// closed, answers every name alike and is not.
func TestTakenNameWhenRegistrationRefuses(t *testing.T) {
	for _, mode := range []string{"taken-first", "password-first", "closed", "invite-only"} {
		var takenSent atomic.Int64
		srv := httptest.NewServer(hexPasswordAPI(mode, &takenSent))
		u, _ := url.Parse(srv.URL)
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := inventory.ParseEndpoints([]string{"POST /signup", "POST /session", "GET /me"}, inventory.SourceConfig)
		inv := &inventory.Inventory{}
		inv.Add(eps...)
		out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			AllowWrites: true, Allow: engine.RuleFilter([]string{"account.registration"}, nil),
			Identities: []*identity.Identity{{Name: "erin",
				Login: &identity.Login{Method: "POST", URL: "/session", Token: "jwt",
					JSON: identity.Body{"login": "erin@example.com", "password": "erin-pw-1"}}}}})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range out.Findings {
			found = found || f.Rule == "account.registration-enumeration"
		}
		if found != (mode == "taken-first") {
			t.Errorf("%s: registration-enumeration %v; notes %q", mode, found, out.Notes)
		}
		if mode == "invite-only" && takenSent.Load() != 0 {
			t.Errorf("invite-only: a configured identity's name was registered %d times after a refusal about the name", takenSent.Load())
		}
	}
}
