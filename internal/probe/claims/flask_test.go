package claims

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/crack"
)

type flaskVector struct {
	Secret  string         `json:"secret"`
	Session map[string]any `json:"session"`
	Cookie  string         `json:"cookie"`
}

func loadFlaskVectors(t *testing.T) []flaskVector {
	t.Helper()
	data, err := os.ReadFile("testdata/flask_sessions.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []flaskVector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 3 || !strings.HasPrefix(vs[1].Cookie, ".") {
		t.Fatalf("vectors: want 3, the second compressed; got %d", len(vs))
	}
	return vs
}

// TestFlaskVectors parses cookies Flask signed (plain and compressed) and
// checks that a cookie forged from them with the same key verifies, and
// with another key does not.
func TestFlaskVectors(t *testing.T) {
	for _, v := range loadFlaskVectors(t) {
		s, err := parseFlaskSession(v.Cookie)
		if err != nil {
			t.Fatalf("%s: %v", v.Cookie, err)
		}
		if got := s.values()["user"]; got != v.Session["user"] {
			t.Errorf("%s: user = %v, want %v", v.Cookie, got, v.Session["user"])
		}
		forged, err := s.forge(map[string]any{"authprobe": "x1"}, []byte(v.Secret), time.Unix(1_800_000_000, 0))
		if err != nil {
			t.Fatal(err)
		}
		target, err := crack.ParseFlaskSession(forged)
		if err != nil {
			t.Fatalf("forged cookie %s: %v", forged, err)
		}
		if !target.Verify([]byte(v.Secret)) || target.Verify([]byte(v.Secret+"x")) {
			t.Errorf("forged cookie %s: signature does not verify with exactly the secret", forged)
		}
		orig, err := crack.ParseFlaskSession(v.Cookie)
		if err != nil || !orig.Verify([]byte(v.Secret)) {
			t.Errorf("Flask's own cookie does not verify: %v", err)
		}
	}
}

func TestParseFlaskSessionErrors(t *testing.T) {
	for _, c := range []string{"", "abc", "a.b", "a.b.c.d", "!!!.AAAA.AAAA", "eyJ1IjoxfQ.AAAA", ".eJwAAA.AAAA.AAAA", "WzFd.AAAA.AAAA"} {
		if _, err := parseFlaskSession(c); err == nil {
			t.Errorf("parseFlaskSession(%q): no error", c)
		}
	}
}

// TestFlaskLoadsOurCookie has Flask itself load a cookie forged here.
func TestFlaskLoadsOurCookie(t *testing.T) {
	const python = "/usr/bin/python3"
	v := loadFlaskVectors(t)[0]
	s, err := parseFlaskSession(v.Cookie)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := s.forge(map[string]any{"role": "admin"}, []byte(v.Secret), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	script := `import sys
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
app = Flask("t"); app.secret_key = sys.argv[1]
print(dict(SecureCookieSessionInterface().get_signing_serializer(app).loads(sys.argv[2], max_age=3600)))`
	out, err := exec.Command(python, "-c", script, v.Secret, forged).CombinedOutput()
	if err != nil {
		t.Fatalf("%s with Flask is needed and must load the cookie (run scripts/install-deps.sh): %v\n%s", python, err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "{'user': 'carol', 'role': 'admin'}" {
		t.Errorf("Flask loaded %s", got)
	}
}
