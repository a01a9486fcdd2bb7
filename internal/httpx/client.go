// Package httpx is authprobe's only user of net/http. It enforces the scan's
// safety limits — scope allowlist, no redirects followed, per-request timeout,
// rate limit, concurrency cap, response body cap — honours Retry-After, counts
// requests and keeps a redacted transcript. It never decides verdicts.
package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Options bound what the client may do.
type Options struct {
	Timeout     time.Duration // per request; default 10s
	Rate        float64       // requests per second; 0 = unlimited
	Concurrency int           // parallel requests; default 4
	MaxBody     int64         // response bytes kept; default 1 MiB
	// Scope lists the hosts (host or host:port) that may be contacted.
	Scope []string
	// Retries is how often a 429/503 with a short Retry-After is retried.
	Retries int
	// MaxRetryAfter caps the wait honoured for one Retry-After.
	MaxRetryAfter time.Duration
	UserAgent     string
	// Transport replaces the default transport (tests).
	Transport http.RoundTripper
	// Hosts shares per-host limits and Retry-After back-off with other
	// clients; nil gives the client a registry of its own.
	Hosts *Hosts
	// Deny reports a request the user excluded (--exclude): it is never
	// sent, whichever phase built it (a guessed path included).
	Deny func(method string, u *url.URL) bool
}

// ErrOutOfScope is returned for a URL whose host is not in the scope.
var ErrOutOfScope = errors.New("host out of scope")

// ErrExcluded is returned for a request the user excluded.
var ErrExcluded = errors.New("excluded by the user, not sent")

// Client sends requests within the limits of its Options.
type Client struct {
	opt      Options
	hc       *http.Client
	limiter  *rate.Limiter
	sem      chan struct{}
	scope    map[string]bool
	count    atomic.Int64
	hosts    *Hosts
	Redactor *Redactor

	mu         sync.Mutex
	transcript []Entry
}

// Entry is one line of the transcript, credentials redacted.
type Entry struct {
	Method, URL string
	Status      int
	Millis      int64
	Err         string `json:",omitempty"`
	Identity    string `json:",omitempty"`
}

// MaxBurst is the most requests the rate limiter lets out back to back.
const MaxBurst = 2

// New builds a client; the scope must not be empty and no limit negative.
func New(opt Options) (*Client, error) {
	if len(opt.Scope) == 0 {
		return nil, errors.New("httpx: empty scope")
	}
	if opt.Timeout < 0 || opt.Rate < 0 || opt.Concurrency < 0 || opt.MaxBody < 0 || opt.Retries < 0 {
		return nil, errors.New("httpx: negative timeout, rate, concurrency, body cap or retries")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 4
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 1 << 20
	}
	if opt.MaxRetryAfter <= 0 {
		opt.MaxRetryAfter = 5 * time.Second
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "authprobe"
	}
	tr := opt.Transport
	if tr == nil {
		tr = &http.Transport{
			Proxy:               nil, // never route a scan through an environment proxy
			DialContext:         (&net.Dialer{Timeout: opt.Timeout}).DialContext,
			MaxIdleConns:        opt.Concurrency * 2,
			MaxIdleConnsPerHost: opt.Concurrency,
			MaxConnsPerHost:     opt.Concurrency,
			IdleConnTimeout:     30 * time.Second,
			TLSHandshakeTimeout: opt.Timeout,
			// Headers are kept with each sample: bound them too.
			MaxResponseHeaderBytes: 64 << 10,
			ResponseHeaderTimeout:  opt.Timeout,
		}
	}
	c := &Client{
		opt:      opt,
		sem:      make(chan struct{}, opt.Concurrency),
		scope:    map[string]bool{},
		Redactor: NewRedactor(),
		hosts:    opt.Hosts,
	}
	if c.hosts == nil {
		c.hosts = NewHosts(HostLimits{})
	}
	c.hc = &http.Client{
		Transport: tr,
		Timeout:   opt.Timeout,
		// Redirects are never followed: an off-scope hop is unsafe and a
		// login redirect is itself the answer the oracle needs.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if opt.Rate > 0 {
		// A small burst: --rate N must not mean N requests at once in
		// the first second (a target that throttles per second sees it).
		burst := min(int(opt.Rate), MaxBurst)
		if burst < 1 {
			burst = 1
		}
		c.limiter = rate.NewLimiter(rate.Limit(opt.Rate), burst)
	}
	for _, h := range opt.Scope {
		c.scope[strings.ToLower(h)] = true
	}
	return c, nil
}

// InScope reports whether u may be contacted.
func (c *Client) InScope(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	host := strings.ToLower(u.Host)
	return c.scope[host] || c.scope[strings.ToLower(u.Hostname())]
}

// Requests is the number of requests sent so far.
func (c *Client) Requests() int { return int(c.count.Load()) }

// Transcript returns the redacted log of every request sent.
func (c *Client) Transcript() []Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Entry(nil), c.transcript...)
}

// Do sends req, honouring scope, rate, concurrency and Retry-After. It never
// returns a nil Response; transport failures are in Response.Err.
func (c *Client) Do(ctx context.Context, req *Request) *Response {
	u, err := url.Parse(req.URL)
	if err != nil {
		return &Response{Err: fmt.Errorf("bad url: %w", err)}
	}
	if !c.InScope(u) {
		return &Response{Err: fmt.Errorf("%w: %s", ErrOutOfScope, u.Host)}
	}
	if c.opt.Deny != nil && c.opt.Deny(req.Method, u) {
		return &Response{Err: fmt.Errorf("%w: %s %s", ErrExcluded, req.Method, u.Path)}
	}
	var resp *Response
	for attempt := 0; ; attempt++ {
		resp = c.onHost(ctx, u.Host, req)
		wait, ok := retryAfter(resp, c.opt.MaxRetryAfter)
		if !ok || attempt >= c.opt.Retries || req.NoRetry {
			return resp
		}
		c.hosts.Backoff(u.Host, wait) // every request to the host waits, not just this one
		select {
		case <-ctx.Done():
			return resp
		case <-time.After(wait):
		}
	}
}

func (c *Client) once(ctx context.Context, req *Request) *Response {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return &Response{Err: ctx.Err()}
	}
	defer func() { <-c.sem }()
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return &Response{Err: err}
		}
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return &Response{Err: err}
	}
	for k, vs := range req.Header {
		hreq.Header[k] = append([]string(nil), vs...)
	}
	if hreq.Header.Get("User-Agent") == "" {
		hreq.Header.Set("User-Agent", c.opt.UserAgent)
	}
	if h := hreq.Header.Get("Host"); h != "" {
		hreq.Host = h
	}
	start := time.Now()
	c.count.Add(1)
	hresp, err := c.hc.Do(hreq)
	out := &Response{}
	if err != nil {
		out.Err = err
	} else {
		out.Status = hresp.StatusCode
		out.Header = hresp.Header
		out.Body, out.Truncated, out.Err = readCapped(hresp.Body, c.opt.MaxBody, hresp.ContentLength)
		hresp.Body.Close()
		if out.Status >= 500 {
			// A server that failed on a request may drop its connection
			// after answering, without saying so (uvicorn after an
			// exception): the next request must not ride it and be reset
			// unsent, which a write is never retried after.
			c.hc.CloseIdleConnections()
		}
	}
	out.Duration = time.Since(start)
	if out.Header == nil {
		out.Header = http.Header{}
	}
	c.record(req, out)
	return out
}

func (c *Client) record(req *Request, resp *Response) {
	e := Entry{Method: req.Method, URL: c.Redactor.URL(req), Status: resp.Status, Millis: resp.Duration.Milliseconds(), Identity: req.Identity}
	if resp.Err != nil {
		e.Err = c.Redactor.String(resp.Err.Error())
	}
	c.mu.Lock()
	c.transcript = append(c.transcript, e)
	c.mu.Unlock()
}
