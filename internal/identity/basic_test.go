package identity

import "testing"

func TestBasic(t *testing.T) {
	h := BasicHeader("alice", "pw:with:colons")
	if u, p, ok := ParseBasic(h); !ok || u != "alice" || p != "pw:with:colons" {
		t.Errorf("ParseBasic(%q) = %q, %q, %v", h, u, p, ok)
	}
	l := &Login{Header: map[string]string{"authorization": "basic " + h[len("Basic "):]}}
	if u, _, ok := l.Basic(); !ok || u != "alice" {
		t.Errorf("Login.Basic = %q, %v; want alice (scheme and header name in any case)", u, ok)
	}
	for _, v := range []string{"Bearer abc", "Basic !!!", "Basic", ""} {
		if _, _, ok := ParseBasic(v); ok {
			t.Errorf("ParseBasic(%q) ok, want not a Basic credential", v)
		}
	}
	if _, _, ok := (&Login{Header: map[string]string{"X-Key": "Basic YTpi"}}).Basic(); ok {
		t.Error("a Basic value outside Authorization is not the login's Basic credential")
	}
}
