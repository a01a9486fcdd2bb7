package scan

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
)

// TestExcludedNeverSent: a request the user excluded is refused by the
// client itself, whichever phase built it (a guessed registration path, a
// filled-in id, a target with a base path), and nothing else is.
func TestExcludedNeverSent(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	target, _ := url.Parse(srv.URL + "/v1/")
	c, err := httpx.New(httpx.Options{Scope: []string{target.Host}, Deny: denied(target, []string{"POST /api/register", "DELETE /users/{id}", "* /admin/*"})})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path string
		deny         bool
	}{
		{"POST", "/api/register", true},
		{"post", "/v1/api/register", true},
		{"GET", "/api/register", false},
		{"DELETE", "/v1/users/7", true},
		{"PUT", "/v1/users/7", false},
		{"GET", "/v1/admin/stats", true},
		{"GET", "/v1/users", false},
	}
	for _, tc := range cases {
		before := hits.Load()
		resp := c.Do(context.Background(), &httpx.Request{Method: tc.method, URL: srv.URL + tc.path})
		sent := hits.Load() > before
		if tc.deny && (sent || !errors.Is(resp.Err, httpx.ErrExcluded)) {
			t.Errorf("%s %s: want refused before sending, sent=%v err=%v", tc.method, tc.path, sent, resp.Err)
		}
		if !tc.deny && (!sent || resp.Err != nil) {
			t.Errorf("%s %s: want sent, sent=%v err=%v", tc.method, tc.path, sent, resp.Err)
		}
	}
	if denied(target, nil) != nil {
		t.Error("no exclusion must give no deny function")
	}
}
