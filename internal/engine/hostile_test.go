package engine

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
)

// validToken is the one credential the hostile servers accept.
func validToken(t *testing.T) string {
	s, err := jose.HMAC("HS256", []byte("a-strong-secret-of-32-bytes-long!!"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"sub":"alice","iat":`+strconv.FormatInt(now, 10)+`,"exp":`+strconv.FormatInt(now+600, 10)+`}`), s)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestHostileServers: servers that stall, fail, throttle, redirect or flood
// must give inconclusive verdicts — never a finding, a hang or a crash.
func TestHostileServers(t *testing.T) {
	t.Parallel()
	tok := validToken(t)
	authed := func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+tok }
	var n atomic.Int64
	behaviours := map[string]http.HandlerFunc{
		"stalls on attacks": func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) && r.Header.Get("Authorization") != "" {
				time.Sleep(2 * time.Second) // past the client timeout
			}
			if !authed(r) {
				http.Error(w, "no", 401)
				return
			}
			w.Write([]byte(`{"user":"alice"}`))
		},
		"500 on every forged token": func(w http.ResponseWriter, r *http.Request) {
			switch {
			case authed(r):
				w.Write([]byte(`{"user":"alice"}`))
			case r.Header.Get("Authorization") == "" || strings.Contains(r.Header.Get("Authorization"), "malformed"):
				http.Error(w, "no", 401)
			default:
				http.Error(w, "Traceback (most recent call last)", 500)
			}
		},
		"throttles after a few requests": func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) > 6 {
				w.Header().Set("Retry-After", "3600")
				http.Error(w, "slow down", 429)
				return
			}
			if !authed(r) {
				http.Error(w, "no", 401)
				return
			}
			w.Write([]byte(`{"user":"alice"}`))
		},
		"redirects attacks to a login page": func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) && r.Header.Get("Authorization") != "" && !strings.Contains(r.Header.Get("Authorization"), "malformed") {
				http.Redirect(w, r, "https://sso.example/login", http.StatusFound)
				return
			}
			if !authed(r) {
				http.Error(w, "no", 401)
				return
			}
			w.Write([]byte(`{"user":"alice"}`))
		},
		"floods": func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) {
				http.Error(w, "no", 401)
				return
			}
			w.Write([]byte(strings.Repeat(`{"x":1}`, 1<<18)))
		},
		"random answers": func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) {
				http.Error(w, "no", 401)
				return
			}
			w.Write([]byte(time.Now().String() + strings.Repeat("z", int(n.Add(1)%97))))
		},
	}
	for name, h := range behaviours {
		t.Run(name, func(t *testing.T) {
			n.Store(0)
			srv := httptest.NewServer(h)
			defer srv.Close()
			u, _ := url.Parse(srv.URL)
			client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 300 * time.Millisecond, MaxBody: 64 << 10, Retries: 1})
			if err != nil {
				t.Fatal(err)
			}
			ep, _ := inventory.ParseEndpoint("GET /api/me")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			out, err := Run(ctx, Options{
				Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}},
				Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: tok}}},
				Checks:     Registry(),
			})
			if ctx.Err() != nil {
				t.Fatal("scan did not finish in time")
			}
			if err != nil {
				var pf *PreflightError
				if !errors.As(err, &pf) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			for _, f := range out.Findings {
				if f.Endpoint != nil {
					t.Errorf("finding on a hostile server: %s %s (%s)", f.Rule, f.Message, f.Evidence.Proof)
				}
			}
		})
	}
}
