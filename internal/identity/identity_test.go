package identity

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
)

func jwtWithExp(exp int64) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":"a","exp":%d}`, exp))) + ".c2ln"
}

func session(t *testing.T, srv *httptest.Server) *Session {
	u, _ := url.Parse(srv.URL)
	c, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	return &Session{Client: c, Target: u}
}

func TestLoginFlowAndRelogin(t *testing.T) {
	var logins atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/auth" || r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "no", 400)
			return
		}
		n := logins.Add(1)
		// The first token expires at once, so the next use logs in again.
		exp := time.Now().Add(time.Hour).Unix()
		if n == 1 {
			exp = time.Now().Unix()
		}
		fmt.Fprintf(w, `{"data":{"token":%q}}`, jwtWithExp(exp))
	}))
	defer srv.Close()
	s := session(t, srv)
	id := &Identity{Name: "alice", Login: &Login{Method: "POST", URL: "/auth", JSON: map[string]any{"u": "alice", "p": "secret-pw"}, Token: "data.token"}}
	c1, err := id.Creds(context.Background(), s)
	if err != nil || c1.Bearer == "" {
		t.Fatalf("login: %v %+v", err, c1)
	}
	// Within the re-login floor the expired token is reused.
	now := time.Now()
	id.now = func() time.Time { return now }
	for range 5 {
		if c, err := id.Creds(context.Background(), s); err != nil || c.Bearer != c1.Bearer || logins.Load() != 1 {
			t.Fatalf("re-login within the floor: %d logins", logins.Load())
		}
	}
	now = now.Add(ReloginFloor + time.Second)
	c2, err := id.Creds(context.Background(), s)
	if err != nil || c2.Bearer == c1.Bearer || logins.Load() != 2 {
		t.Fatalf("expired token not renewed: %d logins", logins.Load())
	}
	if _, err := id.Creds(context.Background(), s); err != nil || logins.Load() != 2 {
		t.Fatalf("valid token renewed needlessly: %d logins", logins.Load())
	}
	if got := s.Client.Redactor.String("pw secret-pw"); strings.Contains(got, "secret-pw") {
		t.Fatalf("login password not registered for redaction: %s", got)
	}
}

func TestLoginErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/denied":
			http.Error(w, "bad password", 401)
		case "/html":
			w.Write([]byte("<html>welcome</html>"))
		case "/cookie":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s3ss10nvalue"})
			w.Write([]byte("ok"))
		default:
			w.Write([]byte(`{"token": 5}`))
		}
	}))
	defer srv.Close()
	s := session(t, srv)
	for _, c := range []struct {
		login Login
		want  string
	}{
		{Login{URL: "/denied", Token: "token"}, "answered 401"},
		{Login{URL: "/html", Token: "token"}, "not JSON"},
		{Login{URL: "/num", Token: "token"}, "not a non-empty string"},
		{Login{URL: "/num", Token: "data.token"}, `no "data"`},
		{Login{URL: "/num", Token: "token", Use: "carrier:x"}, "not a non-empty string"},
	} {
		id := &Identity{Name: "x", Login: &c.login}
		if _, err := id.Creds(context.Background(), s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.login.URL, err, c.want)
		}
	}
	id := &Identity{Name: "web", Login: &Login{URL: "/cookie", Form: map[string]string{"u": "x"}}}
	creds, err := id.Creds(context.Background(), s)
	if err != nil || creds.Cookies["session"] != "s3ss10nvalue" {
		t.Fatalf("cookie login: %v %+v", err, creds)
	}
}

func TestApplyAndPlace(t *testing.T) {
	c := Creds{Bearer: "tok", Headers: map[string]string{"X-API-Key": "k"}, Query: map[string]string{"api_key": "q v"}, Cookies: map[string]string{"b": "2", "a": "1"}}
	req := &httpx.Request{Method: "GET", URL: "http://h/p?x=1"}
	if err := c.Apply(req); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Authorization") != "Bearer tok" || req.Header.Get("X-Api-Key") != "k" || req.Header.Get("Cookie") != "a=1; b=2" {
		t.Fatalf("headers %v", req.Header)
	}
	if req.URL != "http://h/p?api_key=q+v&x=1" {
		t.Fatalf("url %s", req.URL)
	}
	cl := c.Clone()
	cl.Headers["X-API-Key"] = "changed"
	if c.Headers["X-API-Key"] != "k" {
		t.Fatal("Clone shares maps")
	}
	for use, check := range map[string]func(Creds) bool{
		"":             func(c Creds) bool { return c.Bearer == "T" },
		"header:X-Tok": func(c Creds) bool { return c.Headers["X-Tok"] == "T" },
		"cookie:jwt":   func(c Creds) bool { return c.Cookies["jwt"] == "T" },
		"query:token":  func(c Creds) bool { return c.Query["token"] == "T" },
	} {
		c := Creds{}.Clone()
		if err := place(&c, use, "T"); err != nil || !check(c) {
			t.Errorf("use %q: %v %+v", use, err, c)
		}
	}
	if err := place(&Creds{}, "header", "T"); err == nil {
		t.Error("header without a name accepted")
	}
}

func TestThrottledLoginWaitsAndRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "too many", 429)
			return
		}
		fmt.Fprintf(w, `{"token":%q}`, jwtWithExp(time.Now().Add(time.Hour).Unix()))
	}))
	defer srv.Close()
	s := session(t, srv)
	id := &Identity{Name: "a", Login: &Login{URL: "/l", JSON: map[string]any{}, Token: "token"}}
	if _, err := id.Creds(context.Background(), s); err != nil {
		t.Fatalf("throttled login not retried: %v (%d requests)", err, n.Load())
	}
	long := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "locked", 429)
	}))
	defer long.Close()
	id2 := &Identity{Name: "b", Login: &Login{URL: "/l", JSON: map[string]any{}, Token: "token"}}
	if _, err := id2.Creds(context.Background(), session(t, long)); err == nil || !strings.Contains(err.Error(), "429") {
		t.Fatalf("an hour-long lockout must fail at once: %v", err)
	}
}
