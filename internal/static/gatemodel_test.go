//go:build cgo

package static

import (
	"context"
	"strings"
	"testing"
)

// TestGateModel: what counts as a gate. A hook refusing with a response
// whose status it sets after making it, two ifs deep behind a setting,
// gates the routes its allow-list does not name, and not those it may name
// (an allow-list tested with any(... in request.path ...), which the model
// cannot evaluate, never counts as protection); a decorator refusing with
// a project helper called with its success flag False is a check, not an
// optional one; a decorator whose only raise is a bare re-raise is none.
func TestGateModel(t *testing.T) {
	proj, _, err := Analyze(context.Background(), "testdata/layouts/gatemodel")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/open/health":       "public",
		"/api/signin":        "public",
		"/api/items":         "hook gate",
		"/api/members/board": "decorator member_required,hook gate",
		"/api/report":        "hook gate",
	}
	for _, r := range proj.Routes {
		var via []string
		for _, a := range r.Auth {
			if a.Optional {
				t.Errorf("%s: %s %s read as optional", r.Rule, a.Via, a.Name)
			}
			via = append(via, a.Via+" "+a.Name)
		}
		got := strings.Join(via, ",")
		if len(via) == 0 {
			got = "public"
		}
		if got != want[r.Rule] {
			t.Errorf("%s: auth %q, want %q", r.Rule, got, want[r.Rule])
		}
		delete(want, r.Rule)
	}
	for rule := range want {
		t.Errorf("%s: no route", rule)
	}
}
