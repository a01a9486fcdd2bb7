package engine

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// TestLoginPathsFillPlaceholders: a placeholder is given the first
// non-administrator identity's value of the same name (its login path, its
// login body); the login route itself keeps its example.
func TestLoginPathsFillPlaceholders(t *testing.T) {
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: "POST", Path: "/shop/v1/{user_id}/login"},
		{Method: "GET", Path: "/shop/v1/{user_id}/orders"},
		{Method: "GET", Path: "/users/{username}"},
		{Method: "GET", Path: "/items/{sku}"},
		{Method: "GET", Path: "/accounts/{account_id}/statements"},
	}}
	ids := []*identity.Identity{
		{Name: "root", Role: "admin", Login: &identity.Login{URL: "/shop/v1/1/login", JSON: identity.Body{"password": "x", "username": "root"}}},
		{Name: "ann", Login: &identity.Login{URL: "/shop/v1/4711/login", JSON: identity.Body{"password": "x", "username": "ann"}}},
	}
	s := &Scan{opt: Options{Inventory: inv, Identities: ids}, creds: map[string]identity.Creds{}}
	lp := s.loginPaths()
	ep := func(i int) *inventory.Endpoint { return &inv.Endpoints[i] }
	if v, ok := lp.value(ep(1), "user_id"); !ok || v.value != "4711" || v.who != "ann" {
		t.Errorf("orders {user_id} = %+v %v, want ann's 4711", v, ok)
	}
	if v, ok := lp.value(ep(2), "username"); !ok || v.value != "ann" {
		t.Errorf("users {username} = %+v %v, want ann", v, ok)
	}
	if v, ok := lp.value(ep(0), "user_id"); ok {
		t.Errorf("the login route was filled with %+v", v)
	}
	if v, ok := lp.value(ep(4), "account_id"); !ok || v.value != "4711" {
		t.Errorf("{account_id} = %+v %v, want ann's user id (a principal's id under another name)", v, ok)
	}
	if v, ok := lp.value(ep(3), "sku"); ok {
		t.Errorf("{sku} was filled with %+v, which no identity is known by", v)
	}
}
