package slots

import (
	"strings"
	"testing"
	"unicode"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

const jwtValue = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"

func TestOfKinds(t *testing.T) {
	inv := &inventory.Inventory{Schemes: map[string]inventory.Scheme{"k": {Type: "apiKey", In: "cookie", Param: "partner_key"}}}
	c := identity.Creds{
		Bearer:  "opaque-token-123",
		Headers: map[string]string{"X-Token": jwtValue, "Api-Token": "tok_live_1"},
		Query:   map[string]string{"key": "abc"},
		Cookies: map[string]string{"session": "s1", "partner_key": "pk1"},
	}
	got := map[string]string{}
	for _, s := range Of(c, inv) {
		got[s.String()] = s.Kind
	}
	want := map[string]string{
		"Authorization: Bearer": Key, "header Api-Token": Key, "header X-Token": JWT,
		"query key": Key, "cookie session": Session, "cookie partner_key": Key,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: kind %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("slots %v", got)
	}
	if ss := Of(identity.Creds{Bearer: jwtValue}, nil); len(ss) != 1 || ss[0].Kind != JWT {
		t.Errorf("bearer JWT: %+v", ss)
	}
}

func TestRandomLikeKeepsShape(t *testing.T) {
	for _, v := range []string{"pk_live_4f9a1c7e2b8d4a61", "ABC-123", "x", "----", ""} {
		r := RandomLike(v)
		if r == v {
			t.Errorf("RandomLike(%q) returned the value", v)
		}
		if v == "" || !strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
			continue
		}
		if len(r) != len(v) {
			t.Fatalf("RandomLike(%q) = %q: length", v, r)
		}
		for i := range v {
			a, b := rune(v[i]), rune(r[i])
			if unicode.IsUpper(a) != unicode.IsUpper(b) || unicode.IsDigit(a) != unicode.IsDigit(b) || (!unicode.IsLetter(a) && !unicode.IsDigit(a) && a != b) {
				t.Errorf("RandomLike(%q) = %q: position %d changed class", v, r, i)
			}
		}
	}
}

func TestWithWithoutAlone(t *testing.T) {
	c := identity.Creds{Bearer: jwtValue, Headers: map[string]string{"X-API-Key": "k1"}}.Clone()
	sl := Of(c, nil)[1]
	if sl.In != Header || sl.Name != "X-API-Key" {
		t.Fatalf("slot %+v", sl)
	}
	if w := sl.With(c, "k2"); w.Headers["X-API-Key"] != "k2" || c.Headers["X-API-Key"] != "k1" || w.Bearer != jwtValue {
		t.Errorf("With changed the original or lost the bearer: %+v", w)
	}
	if w := sl.Without(c); len(w.Headers) != 0 || w.Bearer == "" {
		t.Errorf("Without: %+v", w)
	}
	if a := sl.Alone("k3"); a.Bearer != "" || a.Headers["X-API-Key"] != "k3" {
		t.Errorf("Alone: %+v", a)
	}
	if m := Combine(identity.Creds{Bearer: "b"}.Clone(), sl.Alone("k")); m.Bearer != "b" || m.Headers["X-API-Key"] != "k" {
		t.Errorf("Combine: %+v", m)
	}
}

func TestForgedJWT(t *testing.T) {
	f, err := ForgedJWT(jwtValue)
	if err != nil {
		t.Fatal(err)
	}
	if f == jwtValue || strings.Count(f, ".") != 2 || Of(identity.Creds{Bearer: f}, nil)[0].Kind != JWT {
		t.Errorf("forged %q", f)
	}
	if _, err := ForgedJWT("not-a-jwt"); err == nil {
		t.Error("a non-JWT forged without error")
	}
}

// TestAuthorizationScheme: a credential configured as an Authorization
// header keeps its scheme; only the credential part varies.
func TestAuthorizationScheme(t *testing.T) {
	ss := Of(identity.Creds{Headers: map[string]string{"Authorization": "Token abc123def"}}, nil)
	if len(ss) != 1 || ss[0].Prefix != "Token " || ss[0].Value != "abc123def" || ss[0].Kind != Key {
		t.Fatalf("%+v", ss)
	}
	if got := ss[0].Alone("zzz").Headers["Authorization"]; got != "Token zzz" {
		t.Errorf("Alone: %q", got)
	}
	if ss := Of(identity.Creds{Headers: map[string]string{"Authorization": "Bearer " + jwtValue}}, nil); ss[0].Kind != JWT {
		t.Errorf("bearer JWT in a header: %+v", ss[0])
	}
}
