package httpx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHostsShareConcurrency: two clients with 4 requests in flight each,
// sharing a host cap of 2, never have more than 2 at the host.
func TestHostsShareConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
	}))
	defer srv.Close()
	hosts := NewHosts(HostLimits{Concurrency: 2})
	a := newClient(t, srv, Options{Concurrency: 4, Hosts: hosts})
	b := newClient(t, srv, Options{Concurrency: 4, Hosts: hosts})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp := c.Do(context.Background(), &Request{Method: "GET", URL: srv.URL}); resp.Err != nil {
				t.Error(resp.Err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak in flight at the host = %d, want 2 (the shared cap)", p)
	}
}

// TestHostsShareRate: 10 requests from two clients at a shared 20/s take at
// least 9 intervals of 50 ms, although each client alone may send 1000/s.
func TestHostsShareRate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	hosts := NewHosts(HostLimits{Rate: 20})
	clients := []*Client{
		newClient(t, srv, Options{Rate: 1000, Hosts: hosts}),
		newClient(t, srv, Options{Rate: 1000, Hosts: hosts}),
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			clients[i%2].Do(context.Background(), &Request{Method: "GET", URL: srv.URL})
		}()
	}
	wg.Wait()
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Fatalf("10 requests at a shared 20/s took %s, want >= 400ms (9 intervals of 50ms)", d)
	}
}

// TestRetryAfterPausesTheHost: a 429 with Retry-After: 1 received by one
// client holds back a request another client sends to the same host.
func TestRetryAfterPausesTheHost(t *testing.T) {
	var first atomic.Bool
	var mu sync.Mutex
	var throttledAt time.Time
	arrivals := map[string]time.Time{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/a" && first.CompareAndSwap(false, true) {
			throttledAt = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if _, ok := arrivals[r.URL.Path]; !ok {
			arrivals[r.URL.Path] = time.Now()
		}
	}))
	defer srv.Close()
	hosts := NewHosts(HostLimits{})
	a := newClient(t, srv, Options{Retries: 1, Hosts: hosts})
	b := newClient(t, srv, Options{Retries: 1, Hosts: hosts})
	done := make(chan *Response)
	go func() { done <- a.Do(context.Background(), &Request{Method: "GET", URL: srv.URL + "/a"}) }()
	for !first.Load() {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the back-off is recorded once the 429 is read
	if resp := b.Do(context.Background(), &Request{Method: "GET", URL: srv.URL + "/b"}); resp.Status != 200 {
		t.Fatalf("b: %+v", resp)
	}
	if resp := <-done; resp.Status != 200 {
		t.Fatalf("a after its retry: %+v", resp)
	}
	mu.Lock()
	defer mu.Unlock()
	if gap := arrivals["/b"].Sub(throttledAt); gap < 900*time.Millisecond {
		t.Fatalf("the other client's request reached the host %s after the 429, want >= 1s (Retry-After)", gap)
	}
}

// TestOwnHostsPauseTheScan: without a shared registry, a client's own
// requests still wait out a Retry-After another of them received.
func TestOwnHostsPauseTheScan(t *testing.T) {
	c, err := New(Options{Scope: []string{"127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	c.hosts.Backoff("127.0.0.1:1", 300*time.Millisecond)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	resp := c.Do(ctx, &Request{Method: "GET", URL: "http://127.0.0.1:1/"})
	if resp.Err == nil || time.Since(start) < 90*time.Millisecond {
		t.Fatalf("request sent during the host's back-off: %+v after %s", resp, time.Since(start))
	}
	if c.Requests() != 0 {
		t.Fatalf("%d requests sent during the back-off, want 0", c.Requests())
	}
}
