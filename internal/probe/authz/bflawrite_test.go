package authz

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
)

func TestAction(t *testing.T) {
	cases := []struct {
		path, sub string
		want      bool
	}{
		{"/api/admin/users", "/api/admin/users/{id}/promote", true},
		{"/api/admin/users", "/api/admin/users/export", true},
		{"/api/admin/users", "/api/admin/users/{id}", false},
		{"/api/admin/users", "/api/admin/usersx", false},
		{"/api/admin/users", "/api/admin/users", false},
	}
	for _, c := range cases {
		if got := action(c.path, c.sub); got != c.want {
			t.Errorf("action(%q, %q) = %v, want %v", c.path, c.sub, got, c.want)
		}
	}
}

// TestObjectParams: the last path parameter names the object; without
// one, every declared query parameter is a candidate, and filling one
// makes it sent.
func TestObjectParams(t *testing.T) {
	ep := &inventory.Endpoint{Method: "GET", Path: "/api/get_customer", Params: []inventory.Param{{Name: "cid", In: "query"}, {Name: "verbose", In: "query"}}}
	ips := objectParams(ep)
	if len(ips) != 2 || ips[0].param.Name != "cid" {
		t.Fatalf("objectParams = %+v", ips)
	}
	filled := withValue(ep, "cid", "42")
	if got := filled.Concrete(nil); got != "/api/get_customer?cid=42" {
		t.Errorf("filled URL = %q, want the query parameter sent", got)
	}
	item := &inventory.Endpoint{Method: "GET", Path: "/api/orders/{order_id}", Params: []inventory.Param{{Name: "order_id", In: "path"}, {Name: "q", In: "query"}}}
	if ips := objectParams(item); len(ips) != 1 || ips[0].param.Name != "order_id" {
		t.Errorf("objectParams(item) = %+v, want the path parameter only", ips)
	}
}

// TestLoginPathsLeftOutOfBFLAMethod: the configured logins' paths (relative
// or absolute URLs) are the ones BFLA by method leaves out.
func TestLoginPathsLeftOutOfBFLAMethod(t *testing.T) {
	ids := []*identity.Identity{
		{Name: "admin", Login: &identity.Login{URL: "/login"}},
		{Name: "user", Login: &identity.Login{URL: "http://127.0.0.1:5000/api/auth/login?next=/"}},
		{Name: "key"},
	}
	got := loginPaths(ids)
	if !got["/login"] || !got["/api/auth/login"] || len(got) != 2 {
		t.Errorf("loginPaths = %v, want /login and /api/auth/login", got)
	}
}

// TestSameAnswer: the page an identity gets is its credential's doing only
// when the anonymous request does not get the very same page.
func TestSameAnswer(t *testing.T) {
	page := &oracle.Sample{Status: 200, Body: []byte("<form action=/login>Invalid credentials</form>")}
	same := &oracle.Sample{Status: 200, Body: []byte("<form action=/login>Invalid credentials</form>")}
	other := &oracle.Sample{Status: 200, Body: []byte(`{"response": "done"}`)}
	if !sameAnswer(page, same) || sameAnswer(page, other) || sameAnswer(page, nil) {
		t.Error("sameAnswer: want true for the same page only")
	}
}
