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
	if k := markable(map[string]any{"email": "x@y.z"}, byName); k != "email" {
		t.Errorf("an account logging in by name may have its e-mail marked: %q", k)
	}
	byMail := &Account{User: "ap@example.com"}
	if k := markable(map[string]any{"email": "x@y.z"}, byMail); k != "" {
		t.Errorf("the e-mail an account logs in with is never marked: %q", k)
	}
	if k := markable(map[string]any{"password": "x", "username": "u"}, byName); k != "" {
		t.Errorf("passwords and user names are not marks: %q", k)
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
