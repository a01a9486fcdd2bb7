package accounts

import (
	"testing"
)

func TestMatches(t *testing.T) {
	cases := []struct {
		param, key string
		want       bool
	}{
		{"username", "username", true},
		{"user_id", "id", true},
		{"userId", "userid", true},
		{"id", "id", true},
		{"id", "userid", true},
		{"user", "username", true},
		{"note_id", "id", false},
		{"book_title", "username", false},
		{"email", "username", false},
		{"username", "", false},
	}
	for _, c := range cases {
		if got := matches(c.param, c.key); got != c.want {
			t.Errorf("matches(%q, %q) = %v, want %v", c.param, c.key, got, c.want)
		}
	}
}

func TestPasswordField(t *testing.T) {
	if f, asks := passwordField(map[string]any{"password": "x", "password_confirmation": "x"}); f != "password" || asks {
		t.Errorf("new password only: got %q %v", f, asks)
	}
	if _, asks := passwordField(map[string]any{"old_password": "x", "new_password": "y"}); !asks {
		t.Error("a body asking for the current password must say so")
	}
	if f, _ := passwordField(map[string]any{"email": "a@b.c"}); f != "" {
		t.Errorf("no password field: got %q", f)
	}
}

func TestForgeable(t *testing.T) {
	rec := map[string]any{
		"id": float64(7), "username": "apx", "email": "apx@example.com", "user_id": float64(7),
		"display_name": "apx", "is_staff": false, "credits": float64(0), "balance": float64(25),
		"role": "member", "verified": true, "bio": "hello",
	}
	declared := map[string]bool{"displayname": true, "email": true}
	got := forgeable(rec, declared, nil)
	want := map[string]any{"is_staff": true, "credits": 1, "balance": int64(1025), "role": "admin"}
	if len(got) != len(want) {
		t.Fatalf("forgeable = %v, want %v", got, want)
	}
	for k, v := range want {
		if !same(got[k], v) {
			t.Errorf("forgeable[%s] = %v, want %v", k, got[k], v)
		}
	}
	// An administrator's own record says what privilege looks like here.
	admin := map[string]any{"user": map[string]any{"username": "root", "tier": "gold", "bio": "root"}}
	rec2 := map[string]any{"username": "apx", "tier": "basic"}
	if got := forgeable(rec2, nil, admin); got["tier"] != "gold" {
		t.Errorf("the admin's value of a field must be tried: %v", got)
	}
}

func TestMarkableAndRecord(t *testing.T) {
	byName := &Account{User: "apuser"}
	if k := markable(map[string]any{"email": "x@y.z"}, byName, nil); k != "email" {
		t.Errorf("an account logging in by name may have its e-mail marked: %q", k)
	}
	byMail := &Account{User: "ap@example.com"}
	if k := markable(map[string]any{"email": "x@y.z"}, byMail, nil); k != "" {
		t.Errorf("the e-mail an account logs in with is never marked: %q", k)
	}
	if k := markable(map[string]any{"password": "x", "username": "u"}, byName, nil); k != "" {
		t.Errorf("passwords and user names are not marks: %q", k)
	}
	// A field the account's record shows comes first: one it hides (an
	// e-mail a public profile leaves out) cannot be read back.
	upd := map[string]any{"email": "x@y.z", "about_me": "", "zone": ""}
	if k := markable(upd, byName, map[string]any{"username": "apuser", "zone": "x"}); k != "zone" {
		t.Errorf("the field the record shows must be marked, got %q", k)
	}
	if k := markable(upd, byName, nil); k != "about_me" {
		t.Errorf("without a record the first field in order is marked, got %q", k)
	}
	// A text (or unset) field only the record shows beats a declared one
	// it hides; ids, links and identity fields are never marks.
	rec := map[string]any{"id": 5.0, "username": "apuser", "bio": nil, "_links": "x", "user_id": "7"}
	if k := markable(map[string]any{"email": "x@y.z"}, byName, rec); k != "bio" {
		t.Errorf("the record's own text field must be marked, got %q", k)
	}
	// The record's null bio, kept by asItIs, is still a text field to mark.
	if k := markable(asItIs(map[string]any{"email": "", "bio": ""}, map[string]any{"username": "apuser", "bio": nil}), byName, map[string]any{"username": "apuser", "bio": nil}); k != "bio" {
		t.Errorf("a field the record shows unset must be marked, got %q", k)
	}
	if a := asItIs(map[string]any{"username": "example", "email": "e@x.y", "bio": "b"}, map[string]any{"username": "apuser", "bio": "old"}); a["username"] != "apuser" || a["bio"] != "old" || a["email"] != nil {
		t.Errorf("the body must keep the record's values and drop a hidden identity field: %v", a)
	}
	body := []byte(`{"status":"OK","response":{"user_id":"9","username":"APuser","employee":0}}`)
	r := record(body, byName)
	if r == nil || r["employee"] != float64(0) {
		t.Errorf("record inside an envelope: %v", r)
	}
	if record([]byte(`{"users":[{"username":"someone"}]}`), byName) != nil {
		t.Error("a record of someone else is not the account's")
	}
}
