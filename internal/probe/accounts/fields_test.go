package accounts

import (
	"encoding/base64"
	"encoding/json"
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

// TestGained: a privileged field took when the answer reads it back as
// sent and the plain account's does not; a string that merely names admin
// is not a flag that took.
func TestGained(t *testing.T) {
	priv := []byte(`{"data": {"username": "x", "admin": true, "role": "admin"}}`)
	plain := []byte(`{"data": {"username": "y", "admin": false, "role": "member"}}`)
	if got := gained(priv, plain, map[string]any{"admin": true, "role": "admin"}); got != "admin=true" {
		t.Errorf("gained = %q", got)
	}
	if got := gained(plain, plain, map[string]any{"admin": true}); got != "" {
		t.Errorf("gained on equal answers = %q", got)
	}
	// role sent "admin", read back "sysadmin-requests" (a field that only
	// names admin): not the value sent.
	named := []byte(`{"role": "sysadmin-requests", "is_admin": 0}`)
	if got := gained(named, []byte(`{"role": "member", "is_admin": 0}`), map[string]any{"role": "admin", "is_admin": true}); got != "" {
		t.Errorf("gained on a value that only names admin = %q", got)
	}
	// sqlite stores True as 1; a list sent is read back with its member.
	stored := []byte(`{"is_admin": 1, "roles": ["user", "admin"]}`)
	if got := gained(stored, []byte(`{"is_admin": 0, "roles": ["user"]}`), map[string]any{"is_admin": true}); got != "is_admin=1" {
		t.Errorf("gained(is_admin 1) = %q", got)
	}
	if got := gained(stored, []byte(`{"is_admin": 1, "roles": ["user"]}`), map[string]any{"roles": []any{"admin"}}); got != "roles=[user admin]" {
		t.Errorf("gained(roles) = %q", got)
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

// TestPrivilegedForObserved: beside a member, the admin's fields that
// differ (a tier, a flag on) are privileged; a field both share is not,
// nor one that differs only as identity does.
func TestPrivilegedForObserved(t *testing.T) {
	admin := &identity.Identity{Name: "root", Role: "admin"}
	member := &identity.Identity{Name: "ann"}
	tokens := map[string]map[string]any{
		"root": {"sub": "root", "tier": "gold", "team": "ops", "support": true, "exp": 2},
		"ann":  {"sub": "ann", "tier": "basic", "team": "ops", "support": false, "exp": 1},
	}
	got := PrivilegedFor([]*identity.Identity{admin, member}, func(id *identity.Identity) identity.Creds {
		return identity.Creds{Bearer: jwtOf(tokens[id.Name])}
	})
	if got["tier"] != "gold" || got["support"] != true {
		t.Errorf("PrivilegedFor = %v, want tier and support", got)
	}
	for _, k := range []string{"team", "sub", "exp"} {
		if _, ok := got[k]; ok {
			t.Errorf("PrivilegedFor took %s: %v", k, got)
		}
	}
}

func jwtOf(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}
