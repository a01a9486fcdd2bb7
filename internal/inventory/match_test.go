package inventory

import "testing"

func TestMatchPath(t *testing.T) {
	cases := []struct {
		tpl, path string
		want      map[string]string
	}{
		{"/shop/v1/{user_id}/login", "/shop/v1/101/login", map[string]string{"user_id": "101"}},
		{"/shop/v1/{user_id}/login", "/shop/v1/101/logout", nil},
		{"/shop/v1/{user_id}/login", "/shop/v1//login", nil},
		{"/users/{name}", "/users/a%20b", map[string]string{"name": "a b"}},
		{"/users/{name}", "/users/a/b", nil},
		{"/login", "/login", map[string]string{}},
		{"/login", "/api/login", nil},
	}
	for _, c := range cases {
		got, ok := MatchPath(c.tpl, c.path)
		if ok != (c.want != nil) || len(got) != len(c.want) {
			t.Errorf("MatchPath(%q, %q) = %v, %v; want %v", c.tpl, c.path, got, ok, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("MatchPath(%q, %q)[%s] = %q, want %q", c.tpl, c.path, k, got[k], v)
			}
		}
	}
}

func TestInstancePrefersLiteral(t *testing.T) {
	eps := []Endpoint{
		{Method: "GET", Path: "/users/{id}"},
		{Method: "GET", Path: "/users/me"},
		{Method: "POST", Path: "/users/{id}"},
	}
	ep, vals := Instance(eps, "GET", "/users/me")
	if ep == nil || ep.Path != "/users/me" || len(vals) != 0 {
		t.Fatalf("Instance(/users/me) = %v %v, want the literal route", ep, vals)
	}
	ep, vals = Instance(eps, "post", "/users/7")
	if ep == nil || ep.Method != "POST" || vals["id"] != "7" {
		t.Fatalf("Instance(POST /users/7) = %v %v", ep, vals)
	}
	if ep, _ := Instance(eps, "DELETE", "/users/7"); ep != nil {
		t.Fatalf("Instance(DELETE) = %v, want none", ep)
	}
}
