package engine

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

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// webAccounts is a web app of the shape that hides its lifecycle flows
// from path words: a form login at POST /sessions setting session_id,
// DELETE /sessions logging out with a redirect, and one /reset_password
// path whose POST (the e-mail, as a form) answers the reset token and
// whose PUT (e-mail, reset_token, new_password) spends it.
type webAccounts struct {
	mu       sync.Mutex
	pw       map[string]string
	sessions map[string]string
	resets   map[string]string
	n        int
	// keepSession: the logout redirects but ends nothing.
	keepSession bool
}

func (w *webAccounts) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	_ = r.ParseForm()
	who := func() string {
		c, err := r.Cookie("session_id")
		if err != nil {
			return ""
		}
		return w.sessions[c.Value]
	}
	switch r.Method + " " + r.URL.Path {
	case "POST /sessions":
		e := r.PostForm.Get("email")
		if pw, ok := w.pw[e]; !ok || pw != r.PostForm.Get("password") {
			http.Error(rw, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.n++
		sid := "sid-" + strings.Repeat("x", w.n) + e
		w.sessions[sid] = e
		http.SetCookie(rw, &http.Cookie{Name: "session_id", Value: sid})
		_ = json.NewEncoder(rw).Encode(map[string]string{"email": e, "message": "logged in"})
	case "DELETE /sessions":
		c, err := r.Cookie("session_id")
		if err != nil || w.sessions[c.Value] == "" {
			http.Error(rw, "forbidden", http.StatusForbidden)
			return
		}
		if !w.keepSession {
			delete(w.sessions, c.Value)
		}
		http.Redirect(rw, r, "/", http.StatusFound)
	case "GET /profile":
		if e := who(); e != "" {
			_ = json.NewEncoder(rw).Encode(map[string]string{"email": e})
			return
		}
		http.Error(rw, "forbidden", http.StatusForbidden)
	case "POST /reset_password":
		e := r.PostForm.Get("email")
		if _, ok := w.pw[e]; !ok {
			http.Error(rw, "forbidden", http.StatusForbidden)
			return
		}
		w.n++
		tok := "f3c1d2e4-5b6a-4c7d-8e9f-" + strings.Repeat("a", w.n%9+3)
		w.resets[tok] = e
		_ = json.NewEncoder(rw).Encode(map[string]string{"email": e, "reset_token": tok})
	case "PUT /reset_password":
		e, ok := w.resets[r.PostForm.Get("reset_token")]
		if !ok || r.PostForm.Get("new_password") == "" {
			http.Error(rw, "forbidden", http.StatusForbidden)
			return
		}
		delete(w.resets, r.PostForm.Get("reset_token"))
		w.pw[e] = r.PostForm.Get("new_password")
		_ = json.NewEncoder(rw).Encode(map[string]string{"email": e, "message": "Password updated"})
	default:
		http.NotFound(rw, r)
	}
}

func scanWebAccounts(t *testing.T, app *webAccounts) *Outcome {
	t.Helper()
	srv := httptest.NewServer(app)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var eps []inventory.Endpoint
	for _, s := range []string{"GET /profile", "POST /sessions", "DELETE /sessions", "POST /reset_password", "PUT /reset_password"} {
		ep, err := inventory.ParseEndpoint(s)
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep)
	}
	id := &identity.Identity{Name: "tossy", Throwaway: true, Login: &identity.Login{Method: "POST", URL: "/sessions",
		Form: map[string]string{"email": "tossy@example.com", "password": "tossy-pw-1"}}}
	checks, err := Select(Registry(), []string{"session.logout", "account.reset"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := Run(ctx, Options{Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: eps},
		Identities: []*identity.Identity{id}, Checks: checks, AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWebLifecycleFlows: DELETE on the login's own path is the logout;
// its redirect took effect when the session no longer opens /profile
// (an effect note, no finding), and took none when it still does (no
// finding either: a redirect proves nothing); POST and PUT on one reset
// path are the request and its confirmation, sent as forms like the
// login, so the token the answer carries is proven by spending it.
func TestWebLifecycleFlows(t *testing.T) {
	for _, keep := range []bool{false, true} {
		app := &webAccounts{pw: map[string]string{"tossy@example.com": "tossy-pw-1"}, sessions: map[string]string{}, resets: map[string]string{}, keepSession: keep}
		out := scanWebAccounts(t, app)
		effect := false
		for _, n := range out.Notes {
			if strings.HasPrefix(n, "effect: DELETE /sessions answered 302 and took effect") {
				effect = true
			}
		}
		if effect == keep {
			t.Errorf("keepSession=%v: effect note = %v, want %v (notes %q)", keep, effect, !keep, out.Notes)
		}
		rules := map[string]bool{}
		for _, f := range out.Findings {
			rules[f.Rule] = true
		}
		if rules["session.logout-not-revoked"] {
			t.Errorf("keepSession=%v: a logout answering a redirect is never a finding", keep)
		}
		if !rules["account.reset-token-in-response"] {
			t.Errorf("keepSession=%v: the reset token in POST /reset_password's answer, spent by PUT, was not proven: %v", keep, rules)
		}
		if app.pw["tossy@example.com"] != "tossy-pw-1" {
			t.Errorf("the throwaway's password was not put back: %q", app.pw["tossy@example.com"])
		}
	}
}
