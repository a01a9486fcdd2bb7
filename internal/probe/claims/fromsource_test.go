package claims_test

import (
	"context"
	"encoding/json"
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
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/probe"
)

// strongSecret is out of reach of every wordlist, rule and mask: only the
// source gives it away.
const strongSecret = "q8Vw-Lr2t9ZkPfX4mB7nCj1sHd6yGu3e"

// TestSourceSecretTriedBeforeCracking: a hardcoded secret no cracker
// finds is tried as the key first, proven live and pinned to its line;
// without the source the same scan reports nothing (the crack budget is
// a millisecond).
func TestSourceSecretTriedBeforeCracking(t *testing.T) {
	key := []byte(strongSecret)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, err := jose.Parse(r.Header.Get("X-Auth-Token"))
		if err != nil || tok.Alg() != "HS256" || jose.Verify(tok, key) != nil {
			http.Error(w, "access denied", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"user": tok.Claims["uid"], "authprobe": tok.Claims["authprobe"]})
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	s, _ := jose.HMAC("HS256", key)
	now := time.Now().Unix()
	payload, _ := json.Marshal(map[string]any{"uid": "u-42", "iat": now, "exp": now + 600})
	tok, err := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), payload, s)
	if err != nil {
		t.Fatal(err)
	}
	run := func(secrets []probe.SourceSecret) []string {
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		inv := &inventory.Inventory{}
		ep, _ := inventory.ParseEndpoint("GET /me")
		inv.Add(ep)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		out, err := engine.Run(ctx, engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
			Allow:      engine.RuleFilter([]string{"jwt.weak-secret"}, nil),
			Settings:   probe.Settings{CrackTime: time.Millisecond, SourceSecrets: secrets},
			Identities: []*identity.Identity{{Name: "app", Base: identity.Creds{Headers: map[string]string{"X-Auth-Token": tok}}}}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range out.Findings {
			where := ""
			if f.Location != nil {
				where = f.Location.String()
			}
			got = append(got, f.Rule+" "+string(f.Confidence)+" "+where+" "+strings.Join(f.CWE, ","))
		}
		return got
	}
	got := run([]probe.SourceSecret{
		{Value: []byte("not-it"), File: "config.py", Line: 3, What: "SECRET_KEY"},
		{Value: key, File: "app/settings.py", Line: 12, What: "JWT_SECRET_KEY"},
	})
	// The secret unlocks the claim matrix too: this API never checks exp.
	if want := "jwt.weak-secret confirmed app/settings.py:12 CWE-521,CWE-798"; len(got) == 0 || got[0] != want || !strings.Contains(strings.Join(got, "|"), "jwt.expired-accepted") {
		t.Errorf("with the source: %q, want %q first, then jwt.expired-accepted", got, want)
	}
	if got := run(nil); len(got) != 0 {
		t.Errorf("without the source: %q, want nothing (the secret is strong)", got)
	}
}

// TestOneSearchPerSigningKey: two identities logging in at different
// URLs get tokens one key signs; the key is searched for once, not once
// per identity or login.
func TestOneSearchPerSigningKey(t *testing.T) {
	key := []byte(strongSecret)
	s, _ := jose.HMAC("HS256", key)
	issue := func(uid string) string {
		now := time.Now().Unix()
		payload, _ := json.Marshal(map[string]any{"uid": uid, "iat": now, "exp": now + 600})
		tok, _ := jose.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), payload, s)
		return tok
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login/web":
			_ = json.NewEncoder(w).Encode(map[string]any{"token": issue("u-1")})
			return
		case "/login/mobile":
			_ = json.NewEncoder(w).Encode(map[string]any{"token": issue("u-2")})
			return
		}
		tok, err := jose.Parse(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if err != nil || jose.Verify(tok, key) != nil {
			http.Error(w, "access denied", http.StatusForbidden)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"user": tok.Claims["uid"]})
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	ep, _ := inventory.ParseEndpoint("GET /me")
	inv.Add(ep)
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
		Allow:    engine.RuleFilter([]string{"jwt.weak-secret"}, nil),
		Settings: probe.Settings{CrackTime: 50 * time.Millisecond},
		Identities: []*identity.Identity{
			{Name: "web", Login: &identity.Login{Method: "POST", URL: "/login/web", JSON: identity.Body{"u": "a"}, Token: "token"}},
			{Name: "mobile", Login: &identity.Login{Method: "POST", URL: "/login/mobile", JSON: identity.Body{"u": "b"}, Token: "token"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	searches := 0
	for _, n := range out.Notes {
		if strings.Contains(n, "not recovered") {
			searches++
		}
	}
	if searches != 1 {
		t.Errorf("%d searches for one key, want 1: %q", searches, out.Notes)
	}
}
