package httpx

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func newClient(t *testing.T, srv *httptest.Server, opt Options) *Client {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	opt.Scope = []string{u.Host}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScopeAndRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://evil.example/login", http.StatusFound)
	}))
	defer srv.Close()
	c := newClient(t, srv, Options{})
	resp := c.Do(context.Background(), &Request{Method: "GET", URL: srv.URL + "/x"})
	if resp.Err != nil || resp.Status != 302 || resp.Location() != "http://evil.example/login" {
		t.Fatalf("redirect must be returned, not followed: %+v", resp)
	}
	out := c.Do(context.Background(), &Request{Method: "GET", URL: "http://evil.example/"})
	if !errors.Is(out.Err, ErrOutOfScope) {
		t.Fatalf("off-scope request not refused: %v", out.Err)
	}
	if c.Requests() != 1 {
		t.Fatalf("requests = %d, want 1 (the off-scope one is never sent)", c.Requests())
	}
	if _, err := New(Options{}); err == nil {
		t.Fatal("empty scope accepted")
	}
}

func TestBodyCapAndTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(500 * time.Millisecond)
		}
		w.Write([]byte(strings.Repeat("a", 5000)))
	}))
	defer srv.Close()
	c := newClient(t, srv, Options{MaxBody: 100, Timeout: 100 * time.Millisecond})
	resp := c.Do(context.Background(), &Request{Method: "GET", URL: srv.URL + "/big"})
	if len(resp.Body) != 100 || !resp.Truncated {
		t.Fatalf("body %d truncated %v", len(resp.Body), resp.Truncated)
	}
	slow := c.Do(context.Background(), &Request{Method: "GET", URL: srv.URL + "/slow"})
	if slow.Err == nil {
		t.Fatal("slow server did not time out")
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := newClient(t, srv, Options{Retries: 2})
	resp := c.Do(context.Background(), &Request{Method: "GET", URL: srv.URL})
	if resp.Status != 200 || n.Load() != 2 {
		t.Fatalf("status %d after %d requests", resp.Status, n.Load())
	}
	// A long Retry-After is not waited for: the 429 comes back.
	long := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer long.Close()
	c2 := newClient(t, long, Options{Retries: 2})
	if r := c2.Do(context.Background(), &Request{Method: "GET", URL: long.URL}); r.Status != 429 || c2.Requests() != 1 {
		t.Fatalf("status %d after %d requests", r.Status, c2.Requests())
	}
}

func TestRedactionAndCurl(t *testing.T) {
	r := NewRedactor()
	tok := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"
	r.Add(tok, "sk_live_abcdef123456", "pw")
	req := &Request{Method: "GET", URL: "http://h/x?api_key=sk_live_abcdef123456", Header: http.Header{
		"Authorization": {"Bearer " + tok}, "X-Api-Key": {"sk_live_abcdef123456"},
	}}
	curl := r.Curl(req)
	for _, secret := range []string{tok, "sk_live_abcdef123456", "c2lnbmF0dXJlLWJ5dGVz"} {
		if strings.Contains(curl, secret) {
			t.Fatalf("curl leaks %q: %s", secret, curl)
		}
	}
	if !strings.Contains(curl, "curl -sS") || !strings.Contains(curl, "'http://h/x?api_key=") {
		t.Fatalf("curl: %s", curl)
	}
	forged := "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.bWFj"
	if got := r.Token(forged); got != "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.[sig-redacted]" {
		t.Fatalf("Token: %s", got)
	}
	r.Show = true
	if !strings.Contains(r.Curl(req), tok) {
		t.Fatal("--show-secrets must show the credential")
	}
	if strings.Contains(NewRedactor().String("password pw"), "[redacted]") {
		t.Fatal("short values must not be registered")
	}
}

func TestConcurrencyCap(t *testing.T) {
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := cur.Add(1)
		for {
			p := peak.Load()
			if v <= p || peak.CompareAndSwap(p, v) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		cur.Add(-1)
	}))
	defer srv.Close()
	c := newClient(t, srv, Options{Concurrency: 2})
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func() { c.Do(context.Background(), &Request{Method: "GET", URL: srv.URL}); done <- struct{}{} }()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	if peak.Load() > 2 {
		t.Fatalf("peak concurrency %d > 2", peak.Load())
	}
	if len(c.Transcript()) != 8 {
		t.Fatalf("transcript has %d entries", len(c.Transcript()))
	}
}

// TestRateBurst: --rate N lets at most MaxBurst requests out at once.
func TestRateBurst(t *testing.T) {
	c, err := New(Options{Scope: []string{"h"}, Rate: 100})
	if err != nil {
		t.Fatal(err)
	}
	if b := c.limiter.Burst(); b > MaxBurst || b < 1 {
		t.Fatalf("burst %d", b)
	}
	n := 0
	for c.limiter.Allow() {
		n++
	}
	if n > MaxBurst {
		t.Fatalf("%d requests allowed at once", n)
	}
	for _, bad := range []Options{{Rate: -1}, {Timeout: -1}, {Concurrency: -2}} {
		bad.Scope = []string{"h"}
		if _, err := New(bad); err == nil {
			t.Fatalf("%+v accepted", bad)
		}
	}
}

// TestNoRideAfterServerError: a server that answers 500 and then drops the
// connection it did not announce closing (uvicorn after an exception in
// the app) does not cost the next request, a POST that is never retried:
// it goes out on a fresh connection and is answered.
func TestNoRideAfterServerError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/crash" {
			w.Write([]byte(`{"ok":true}`))
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
		buf.Flush()
		time.Sleep(50 * time.Millisecond)
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // reset, as a crashed worker's socket is
		}
		conn.Close()
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c, err := New(Options{Scope: []string{u.Host}, Timeout: 3 * time.Second, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r := c.Do(ctx, &Request{Method: "POST", URL: srv.URL + "/crash", NoRetry: true}); r.Status != 500 {
		t.Fatalf("crash: status %d, %v", r.Status, r.Err)
	}
	if r := c.Do(ctx, &Request{Method: "POST", URL: srv.URL + "/next", NoRetry: true}); r.Err != nil || r.Status != 200 {
		t.Errorf("the POST after a 500: status %d, %v; want it answered", r.Status, r.Err)
	}
}
