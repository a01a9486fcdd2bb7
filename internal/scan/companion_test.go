package scan

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/identity"
)

// companionKey is long and random-looking: no wordlist cracks it.
const companionKey = "k9X2-companion-secret-7f3a1c0e5b8d4a6f9e2c1b0a"

func hsToken(claims map[string]any) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	p, _ := json.Marshal(claims)
	in := h + "." + base64.RawURLEncoding.EncodeToString(p)
	m := hmac.New(sha256.New, []byte(companionKey))
	m.Write([]byte(in))
	return in + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verified returns the token's claims when its HS256 signature is right,
// or, when verify is false, whatever its payload says.
func verified(tok string, verify bool) map[string]any {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	if verify {
		m := hmac.New(sha256.New, []byte(companionKey))
		m.Write([]byte(parts[0] + "." + parts[1]))
		if !hmac.Equal([]byte(base64.RawURLEncoding.EncodeToString(m.Sum(nil))), []byte(parts[2])) {
			return nil
		}
	}
	data, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil
	}
	var c map[string]any
	if json.Unmarshal(data, &c) != nil {
		return nil
	}
	return c
}

// refreshFallbackAPI accepts the bearer access token or, when that does
// not verify, the refresh token in X-Refresh-Token (the shape of a cookie
// app whose before_request falls back to its refresh cookie, here in
// headers). verifyAccess false is the vulnerable twin: the access token's
// signature is never checked.
func refreshFallbackAPI(verifyAccess bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user := ""
		if c := verified(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), verifyAccess); c != nil && c["type"] == "access" {
			user, _ = c["sub"].(string)
		} else if c := verified(r.Header.Get("X-Refresh-Token"), true); c != nil && c["type"] == "refresh" {
			user, _ = c["sub"].(string)
		}
		if user == "" {
			http.Error(w, `{"error":"unauthorized"}`, 401)
			return
		}
		w.Write([]byte(`{"user":"` + user + `","notes":[]}`))
	}))
}

// TestForgeryWithoutCompanionToken: a tampered access token sent beside
// the identity's valid refresh token is accepted through the refresh
// fallback; that proves nothing about the access token's signature. The
// forgery travels alone, so the verifying API yields no signature finding
// and the one that does not verify still does.
func TestForgeryWithoutCompanionToken(t *testing.T) {
	t.Parallel()
	exp := time.Now().Add(time.Hour).Unix()
	creds := identity.Creds{
		Bearer:  hsToken(map[string]any{"sub": "alice", "type": "access", "exp": exp}),
		Headers: map[string]string{"X-Refresh-Token": hsToken(map[string]any{"sub": "alice", "type": "refresh", "exp": exp})},
	}
	for _, tc := range []struct {
		verify bool
		want   bool
	}{{true, false}, {false, true}} {
		srv := refreshFallbackAPI(tc.verify)
		cfg := Config{Target: srv.URL, Version: "test", Endpoints: []string{"GET /api/notes"},
			Identities:  []*identity.Identity{{Name: "alice", Base: creds}},
			Concurrency: 2, Timeout: 2 * time.Second}
		res, err := Run(context.Background(), cfg, Handler{})
		srv.Close()
		if err != nil || res == nil {
			t.Fatalf("verify=%v: Run: %v", tc.verify, err)
		}
		got := false
		for _, f := range res.Findings {
			if f.Rule == "jwt.signature-not-verified" {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("verify=%v: jwt.signature-not-verified reported %v, want %v (findings %v)", tc.verify, got, tc.want, res.Findings)
		}
	}
}
