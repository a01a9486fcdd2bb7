package retest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

const tok = "tok-alice-0123456789abcdef"

// TestReplay: a proof made of a literal credential is still open while the
// endpoint answers it as when found, fixed once it is refused while the
// identity's own credential still gets in, and inconclusive when the
// identity is refused too.
func TestReplay(t *testing.T) {
	t.Parallel()
	var fixed, down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		own := r.Header.Get("Authorization") == "Bearer "+tok
		switch {
		case down.Load(), fixed.Load() && !own:
			http.Error(w, `{"error":"unauthorized"}`, 401)
		default:
			w.Write([]byte(`{"items":[1,2,3]}`))
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: tok}}}}
	f := finding.Finding{Rule: "apikey.empty-accepted", Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/x"},
		Replay: &finding.Replay{Method: "GET", Path: "/api/x", Status: 200, Creds: []finding.ReplayCred{{Kind: "header", Name: "X-API-Key", Value: ""}}}}
	for _, c := range []struct {
		fixed, down bool
		want        Status
	}{{false, false, StillOpen}, {true, false, Fixed}, {false, true, Inconclusive}} {
		fixed.Store(c.fixed)
		down.Store(c.down)
		out, err := Run(context.Background(), opt, []finding.Finding{f})
		if err != nil || len(out) != 1 || out[0].Status != c.want {
			t.Errorf("fixed %v, refusing everyone %v: %+v, %v; want %s", c.fixed, c.down, out, err, c.want)
		}
	}
}

// TestLoginError: an identity that cannot log in leaves its findings
// inconclusive and is reported as a *LoginError.
func TestLoginError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"bad credentials"}`, 401)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Identities: []*identity.Identity{{Name: "alice", Login: &identity.Login{Method: "POST", URL: "/login", JSON: map[string]any{"u": "a"}, Token: "token"}}}}
	f := finding.Finding{Rule: "jwt.no-expiry", Identity: "alice"}
	out, err := Run(context.Background(), opt, []finding.Finding{f})
	var le *LoginError
	if len(out) != 1 || out[0].Status != Inconclusive || !errors.As(err, &le) {
		t.Fatalf("%+v, %v; want the finding inconclusive and a *LoginError", out, err)
	}
}
