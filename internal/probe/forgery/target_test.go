package forgery

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

const tok = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"

func TestFindAndWith(t *testing.T) {
	c := identity.Creds{Headers: map[string]string{"X-Key": "k"}, Cookies: map[string]string{"jwt": tok, "a": "plain"}, Query: map[string]string{}}
	sl, got, ok := Find(c)
	if !ok || sl != (Slot{In: "cookie", Name: "jwt", Kind: "jwt"}) || got.Claims["sub"] != "alice" {
		t.Fatalf("Find = %v %v %v", sl, got, ok)
	}
	out := sl.With(c, "forged")
	if out.Cookies["jwt"] != "forged" || c.Cookies["jwt"] != tok || out.Cookies["a"] != "plain" {
		t.Errorf("With changed the wrong thing: %v / %v", out.Cookies, c.Cookies)
	}
	if _, _, ok := Find(identity.Creds{Bearer: "not-a-jwt"}); ok {
		t.Error("Find accepted a non-JWT bearer")
	}
	if sl, _, ok := Find(identity.Creds{Bearer: tok}); !ok || sl.String() != "Authorization: Bearer" {
		t.Errorf("bearer slot: %v", sl)
	}
}

func TestReflectedClaim(t *testing.T) {
	parsed, err := jose.Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{"sub": "alice", "name": "alice", "role": "admin", "iss": "alice"}
	p := &probe.Pass{Cal: &oracle.Calibration{Accepted: []*oracle.Sample{oracle.NewSample(200, http.Header{}, []byte(`{"user":"alice"}`), nil)}}}
	if got := ReflectedClaim(p, claims); got != "sub" {
		t.Errorf("ReflectedClaim = %q, want sub (preferred over name; role and iss never)", got)
	}
	p.Cal.Accepted[0] = oracle.NewSample(200, http.Header{}, []byte(`{"user":"bob"}`), nil)
	if got := ReflectedClaim(p, parsed.Claims); got != "" {
		t.Errorf("nothing reflected, got %q", got)
	}
	if Canary() == Canary() || len(Canary()) != len("authprobe")+10 {
		t.Error("canaries must be fresh and fixed-length")
	}
}

func TestBenignChange(t *testing.T) {
	if got := benignChange(map[string]any{"iat": json.Number("1700000000")}); got["iat"] != int64(1699999999) {
		t.Fatalf("iat: %v", got)
	}
	for _, c := range []map[string]any{{}, {"iat": "yesterday"}, {"iat": json.Number("1.5e9x")}} {
		if benignChange(c) != nil {
			t.Errorf("%v: a change without a numeric iat", c)
		}
	}
}

func TestFindKeepsScheme(t *testing.T) {
	t.Parallel()
	tok := "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"
	c := identity.Creds{Headers: map[string]string{"Authorization": "Token " + tok}}
	sl, got, ok := Find(c)
	if !ok || sl != (Slot{In: "header", Name: "Authorization", Kind: "jwt", Prefix: "Token "}) || got.Claims["sub"] != "alice" {
		t.Fatalf("Find = %+v, %v, %v", sl, got, ok)
	}
	if v := sl.With(c, "forged").Headers["Authorization"]; v != "Token forged" {
		t.Fatalf("With kept %q, want the scheme", v)
	}
}
