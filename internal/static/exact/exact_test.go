package exact

import (
	"strings"
	"testing"
)

// TestServed: Flask's static file rules are not the app's routes; a view
// the app itself names "static" on another rule is.
func TestServed(t *testing.T) {
	inv := Inventory{Rules: []Rule{
		{Rule: "/static/<path:filename>", Endpoint: "static"},
		{Rule: "/admin/static/<path:filename>", Endpoint: "admin.static"},
		{Rule: "/static-info", Endpoint: "static"},
		{Rule: "/users", Endpoint: "users.list"},
	}}
	var got []string
	for _, r := range inv.Served() {
		got = append(got, r.Rule)
	}
	if strings.Join(got, " ") != "/static-info /users" {
		t.Fatalf("served %q", got)
	}
}

// TestWhy: a failed import says, per candidate, what failed and where.
func TestWhy(t *testing.T) {
	inv := Inventory{Error: "no importable Flask app", Attempts: []Attempt{
		{Target: "wsgi", Error: "ModuleNotFoundError: No module named 'flask_mail'", Where: "app/__init__.py:7"},
		{Target: "app", Error: "LookupError: app defines no Flask app"},
	}}
	want := "no importable Flask app; tried wsgi: ModuleNotFoundError: No module named 'flask_mail' (at app/__init__.py:7); app: LookupError: app defines no Flask app"
	if got := inv.Why(); got != want {
		t.Fatalf("Why() = %q", got)
	}
}
