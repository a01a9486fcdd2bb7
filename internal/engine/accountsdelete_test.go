package engine

import "testing"

// TestAccountID: the id of a registered account, by the DELETE path's
// parameter, the usual names, or the item's noun with id.
func TestAccountID(t *testing.T) {
	cases := []struct{ answer, del, param, want string }{
		{`{"id": 7, "name": "x"}`, "/api/users/{id}", "id", "7"},
		{`{"userid": 9, "first_name": "x"}`, "/api/user/{id}", "id", "9"},
		{`{"user": {"user_id": "ab"}}`, "/users/{uid}", "uid", "ab"},
		{`{"message": "created"}`, "/api/user/{id}", "id", ""},
		{`{"owner_id": 3}`, "/api/user/{id}", "id", ""},
	}
	for _, c := range cases {
		if got := accountID([]byte(c.answer), c.del, c.param); got != c.want {
			t.Errorf("%s on %s: %q, want %q", c.answer, c.del, got, c.want)
		}
	}
}
