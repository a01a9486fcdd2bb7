package accounts

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
)

// TestAsked: the fields a validation refusal names, as JSON keys or in its
// messages; a word inside a longer field name is not asked for.
func TestAsked(t *testing.T) {
	cases := []struct {
		body string
		want map[string]fill
	}{
		{`{"message": "'email' is a required property"}`, map[string]fill{"email": fillEmail}},
		{`{"errors": ["Password confirmation must match password."]}`, map[string]fill{"password_confirmation": fillPassword}},
		{`{"errors": {"userName": ["required"]}}`, map[string]fill{"userName": fillName}},
		{`{"msg": "bad request"}`, map[string]fill{}},
		{`{"detail": [{"loc": ["body", "fullname"], "msg": "field required"}]}`, map[string]fill{"fullname": fillName}},
	}
	for _, c := range cases {
		got := asked([]byte(c.body))
		for k, f := range c.want {
			if got[k] != f {
				t.Errorf("%s: %q = %v, want %v (all: %v)", c.body, k, got[k], f, got)
			}
		}
		if _, ok := got["name"]; ok {
			t.Errorf("%s: asked for name, a part of another field: %v", c.body, got)
		}
		if len(c.want) == 0 && len(got) != 0 {
			t.Errorf("%s: asked %v, want nothing", c.body, got)
		}
	}
}

// TestBodyFromLogin: a registration body keeps the login's shape with
// fresh values, adds what refusals asked for, and logs in with the same
// values; e-mail logins register an e-mail.
func TestBodyFromLogin(t *testing.T) {
	l := &identity.Login{URL: "/login", JSON: identity.Body{"user": map[string]any{"email": "alice@example.com", "password": "x"}}}
	r := &Registrar{login: l, userPath: "user.email", passPath: "user.password", body: map[string]any{"username": fillName}}
	c := fresh()
	b := identity.Body(r.bodyFor(c, map[string]any{"is_admin": true}))
	if v, _ := b.Lookup("user.email"); v != c.email || !strings.HasPrefix(c.user, "ap") {
		t.Errorf("user.email = %v, want %s", v, c.email)
	}
	if v, _ := b.Lookup("user.password"); v != c.password || strings.Contains(c.password, "alice") {
		t.Errorf("password = %v", v)
	}
	// Asked-for and extra fields go inside the login's envelope, beside
	// the user field: {"user": {..., "username", "is_admin"}}.
	if u, _ := b.Lookup("user.username"); u != c.user {
		t.Errorf("body = %v, want user.username %s", b, c.user)
	}
	if a, _ := b.Lookup("user.is_admin"); a != true {
		t.Errorf("body = %v, want user.is_admin true", b)
	}
	if _, ok := b["username"]; ok {
		t.Errorf("body = %v: username outside the envelope", b)
	}
	// A flat login keeps them at the top.
	flat := &Registrar{login: l, base: identity.Body{"email": "a@example.com", "password": "x"}, userPath: "email", passPath: "password",
		body: map[string]any{"username": fillName}}
	if fb := flat.bodyFor(c, map[string]any{"is_admin": true}); fb["username"] != c.user || fb["is_admin"] != true {
		t.Errorf("flat body = %v", fb)
	}
	id := r.identity("account-1", c)
	if v, _ := id.Login.JSON.Lookup("user.email"); v != c.email || !id.Throwaway {
		t.Errorf("login of the new account = %v (throwaway %v)", id.Login.JSON, id.Throwaway)
	}
	if v, _ := l.JSON.Lookup("user.email"); v != "alice@example.com" {
		t.Errorf("the template login was changed: %v", l.JSON)
	}
}

func TestGained(t *testing.T) {
	priv := []byte(`{"data": {"username": "x", "admin": true}}`)
	plain := []byte(`{"data": {"username": "y", "admin": false}}`)
	if got := gained(priv, plain, []string{"admin", "role"}); got != "admin=true" {
		t.Errorf("gained = %q", got)
	}
	if got := gained(plain, plain, []string{"admin"}); got != "" {
		t.Errorf("gained on equal answers = %q", got)
	}
}

func TestSaysTaken(t *testing.T) {
	for body, want := range map[string]bool{
		`{"message": "Successfully registered. Login to receive an auth token."}`: false,
		`{"message": "User already exists. Please Log in."}`:                      true,
		`{"errors": {"email": ["Email already registered"]}}`:                     true,
		`{"msg": "username is taken"}`:                                            true,
	} {
		if got := saysTaken([]byte(body)); got != want {
			t.Errorf("saysTaken(%s) = %v, want %v", body, got, want)
		}
	}
}

// TestPrivilegedFor: the fields an admin identity's login answer shows set
// join the privileged fields; identity fields never do.
func TestPrivilegedFor(t *testing.T) {
	admin := &identity.Identity{Name: "root", Role: "admin"}
	got := PrivilegedFor([]*identity.Identity{admin}, func(*identity.Identity) identity.Creds {
		return identity.Creds{Bearer: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyb290IiwiZ3JvdXAiOiJhZG1pbnMiLCJzdXBwb3J0Ijp0cnVlfQ.c2ln"}
	})
	if got["group"] != "admins" || got["support"] != true || got["is_admin"] != true {
		t.Errorf("PrivilegedFor = %v, want the admin token's group and support flags beside the defaults", got)
	}
	if _, ok := got["sub"]; ok {
		t.Errorf("an identity field became a privileged field: %v", got)
	}
}
