package httpx

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// HostLimits bound all requests to one host (host:port), whichever Client
// sends them.
type HostLimits struct {
	Rate        float64 // requests per second to the host; 0 = unlimited
	Concurrency int     // requests in flight to the host; 0 = unlimited
}

// Hosts is a registry of per-host limits that several Clients share: the
// scans of many targets (scan --targets) then keep one rate, one
// concurrency cap and one Retry-After back-off per host, however many
// clients talk to it. A Client built without one gets its own, so that a
// Retry-After still pauses every request of the scan to that host, not just
// the one that received it. Hosts are keyed by host:port: two services on
// one machine are two hosts.
type Hosts struct {
	limits HostLimits
	mu     sync.Mutex
	hosts  map[string]*hostGate
}

// NewHosts returns an empty registry applying limits to every host.
func NewHosts(limits HostLimits) *Hosts {
	return &Hosts{limits: limits, hosts: map[string]*hostGate{}}
}

// hostGate is the shared state of one host.
type hostGate struct {
	limiter *rate.Limiter // nil: no rate limit
	sem     chan struct{} // nil: no concurrency cap
	mu      sync.Mutex    // guards until
	until   time.Time     // no request before this (Retry-After)
}

func (h *Hosts) gate(host string) *hostGate {
	host = strings.ToLower(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	g, ok := h.hosts[host]
	if !ok {
		g = &hostGate{}
		if h.limits.Rate > 0 {
			// Burst 1: the host sees the rate, not bursts of it.
			g.limiter = rate.NewLimiter(rate.Limit(h.limits.Rate), 1)
		}
		if h.limits.Concurrency > 0 {
			g.sem = make(chan struct{}, h.limits.Concurrency)
		}
		h.hosts[host] = g
	}
	return g
}

// Backoff pauses every request to host for d (a Retry-After the host sent).
// A pause never shortens one already in force.
func (h *Hosts) Backoff(host string, d time.Duration) {
	g := h.gate(host)
	g.mu.Lock()
	defer g.mu.Unlock()
	if t := time.Now().Add(d); t.After(g.until) {
		g.until = t
	}
}

// acquire waits for the host's back-off, a concurrency slot and a rate
// token, in that order; release gives the slot back.
func (h *Hosts) acquire(ctx context.Context, host string) (release func(), err error) {
	g := h.gate(host)
	for {
		g.mu.Lock()
		wait := time.Until(g.until)
		g.mu.Unlock()
		if wait <= 0 {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	release = func() {}
	if g.sem != nil {
		select {
		case g.sem <- struct{}{}:
			release = func() { <-g.sem }
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if g.limiter != nil {
		if err := g.limiter.Wait(ctx); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}

// onHost sends one request once the host's shared limits allow it.
func (c *Client) onHost(ctx context.Context, host string, req *Request) *Response {
	release, err := c.hosts.acquire(ctx, host)
	if err != nil {
		return &Response{Err: err, Header: map[string][]string{}}
	}
	defer release()
	return c.once(ctx, req)
}
