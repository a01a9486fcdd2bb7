package authz

import (
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
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
