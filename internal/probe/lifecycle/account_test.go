package lifecycle

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
)

// TestUserInLoginPath: a login that takes the user in its path is sent for
// another user by replacing that segment (under any base path), with the
// body's password only; a made-up user of a numeric id is numeric.
func TestUserInLoginPath(t *testing.T) {
	a := &account{
		id:     &identity.Identity{Name: "ann", Login: &identity.Login{URL: "/base/shop/v1/4711/login", JSON: identity.Body{"password": "pw"}}},
		method: "POST", url: "http://127.0.0.1:1/base/shop/v1/4711/login",
		pwField: "password", user: "4711", password: "pw",
		userParam: "user_id", route: "/shop/v1/{user_id}/login",
	}
	ghost := madeUp(a.user)
	if strings.Trim(ghost, "0123456789") != "" || ghost == a.user {
		t.Fatalf("madeUp(4711) = %q, want another number", ghost)
	}
	req := a.loginRequest(ghost, "wrong")
	if req.URL != "http://127.0.0.1:1/base/shop/v1/"+ghost+"/login" {
		t.Errorf("login URL for %s = %s", ghost, req.URL)
	}
	if string(req.Body) != `{"password":"wrong"}` {
		t.Errorf("login body = %s, want the password only", req.Body)
	}
	if got := a.loginRequest(a.user, "pw").URL; got != a.url {
		t.Errorf("the account's own login URL = %s, want %s", got, a.url)
	}
	if m := madeUp("ann"); !strings.HasPrefix(m, "authprobe-nx-") {
		t.Errorf("madeUp(ann) = %q", m)
	}
}
