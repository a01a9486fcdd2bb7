package authz

import "testing"

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
