package crack

import (
	"encoding/base64"
	"strings"
	"testing"
)

func seg(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestParseJWTRejects(t *testing.T) {
	sig32 := seg(strings.Repeat("s", 32))
	bad := map[string]string{
		"two segments":   seg(`{"alg":"HS256"}`) + "." + seg("{}"),
		"four segments":  seg(`{"alg":"HS256"}`) + ".a.b.c",
		"rs256":          seg(`{"alg":"RS256"}`) + "." + seg("{}") + "." + sig32,
		"none":           seg(`{"alg":"none"}`) + "." + seg("{}") + ".",
		"no alg":         seg(`{"typ":"JWT"}`) + "." + seg("{}") + "." + sig32,
		"header not b64": "!!!." + seg("{}") + "." + sig32,
		"header array":   seg(`[1]`) + "." + seg("{}") + "." + sig32,
		"short sig":      seg(`{"alg":"HS256"}`) + "." + seg("{}") + "." + seg("short"),
		"sig not b64":    seg(`{"alg":"HS512"}`) + "." + seg("{}") + ".@@@",
		"empty":          "",
	}
	for name, tok := range bad {
		if _, err := ParseJWT(tok); err == nil {
			t.Errorf("%s: accepted %q", name, tok)
		}
	}
	tok := seg(`{"alg":"HS384","typ":"JWT"}`) + "." + seg(`{"a":1}`) + "." + seg(strings.Repeat("s", 48))
	target, err := ParseJWT(" " + tok + "\n")
	if err != nil || target.Kind() != HS384 {
		t.Fatalf("valid HS384 token: %v", err)
	}
	if want := tok[:strings.LastIndexByte(tok, '.')]; string(target.msg) != want {
		t.Fatalf("signed part %q, want %q", target.msg, want)
	}
}

func TestParseFlaskSessionRejects(t *testing.T) {
	sig := seg(strings.Repeat("s", 20))
	bad := map[string]string{
		"no dots":     "abc",
		"one dot":     seg("{}") + "." + sig,
		"bad ts":      seg("{}") + ".!!." + sig,
		"empty ts":    seg("{}") + ".." + sig,
		"short sig":   seg("{}") + ".ZmZm." + seg("short"),
		"jwt shaped":  seg(`{"alg":"HS256"}`) + "." + seg("{}") + ".x." + sig,
		"empty value": "." + "ZmZm." + sig,
	}
	for name, c := range bad {
		if _, err := ParseFlaskSession(c); err == nil {
			t.Errorf("%s: accepted %q", name, c)
		}
	}
	c := "session=." + seg("zlib") + ".ZmZm." + sig
	target, err := ParseFlaskSession(c)
	if err != nil || target.Kind() != FlaskSession {
		t.Fatalf("compressed cookie: %v", err)
	}
	if want := "." + seg("zlib") + ".ZmZm"; string(target.msg) != want {
		t.Fatalf("signed value %q, want %q", target.msg, want)
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		seg(`{"alg":"HS256"}`) + "." + seg("{}") + "." + seg(strings.Repeat("s", 32)),
		"." + seg("zlib") + ".ZmZm." + seg(strings.Repeat("s", 20)),
		"a.b.c", "...", "session=", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (*Target, error){ParseJWT, ParseFlaskSession} {
			target, err := parse(s)
			if err != nil {
				continue
			}
			if target.Kind() == 0 || len(target.sig) == 0 || !strings.Contains(s, string(target.msg)) {
				t.Fatalf("%q parsed to %+v", s, target)
			}
			target.Verify([]byte("x"))
		}
	})
}

func TestParseDetects(t *testing.T) {
	jwt := seg(`{"alg":"HS512"}`) + "." + seg("{}") + "." + seg(strings.Repeat("s", 64))
	cookie := seg(`{"user":"a"}`) + ".ZmZm." + seg(strings.Repeat("s", 20))
	if target, err := Parse(jwt); err != nil || target.Kind() != HS512 {
		t.Fatalf("JWT: %v", err)
	}
	if target, err := Parse(cookie); err != nil || target.Kind() != FlaskSession {
		t.Fatalf("cookie: %v", err)
	}
	_, err := Parse(seg(`{"alg":"RS256"}`) + "." + seg("{}") + "." + seg("sig"))
	if err == nil || !strings.Contains(err.Error(), "RS256") || !strings.Contains(err.Error(), "Flask") {
		t.Fatalf("RS256 token: error %v should explain both attempts", err)
	}
}
