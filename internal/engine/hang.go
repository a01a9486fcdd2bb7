package engine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// maxTimeouts is how many timeouts an endpoint may cost a scan: after the
// second it is inconclusive and never called again, so that a hanging
// route costs two timeouts, not one per probe (and its threads do not pile
// up on the server).
const maxTimeouts = 2

// ReasonHangs is the coverage reason of an endpoint that timed out twice.
const ReasonHangs = "timed out twice: not called again (inconclusive)"

// hung reports whether an endpoint has used up its timeouts; when it has,
// the outcome to return instead of sending.
func (s *Scan) hung(ep *inventory.Endpoint) (*probe.Outcome, bool) {
	if ep == nil {
		return nil, false
	}
	s.mu.Lock()
	n := s.timeouts[ep.Key()]
	s.mu.Unlock()
	if n < maxTimeouts {
		return nil, false
	}
	o := &probe.Outcome{Sample: oracle.NewSample(0, nil, nil, errHangs), Verdict: oracle.Inconclusive, Why: ReasonHangs}
	return o, true
}

var errHangs = errors.New("endpoint " + ReasonHangs)

// do sends req, counting a timeout against its endpoint (ep, or the one
// its method and path name); a request to an endpoint that used up its
// timeouts is not sent. Every request of the scan's own phases goes
// through it, Send's and those of the phases that build raw requests (the
// registration search).
func (s *Scan) do(ctx context.Context, ep *inventory.Endpoint, req *httpx.Request) *httpx.Response {
	at := s.endpointOf(ep, req)
	if _, ok := s.hung(at); ok {
		return &httpx.Response{Err: errHangs, Header: http.Header{}}
	}
	resp := s.opt.Client.Do(ctx, req)
	s.noteTimeout(at, resp.Err)
	return resp
}

// endpointOf is the endpoint a request's timeouts count against: ep, or,
// when a check sent it without naming one (a registration probe, a login
// series), the inventory endpoint its method and path are an instance of
// (a literal path before a template), so that no phase of the scan calls a
// hanging route past its timeouts.
func (s *Scan) endpointOf(ep *inventory.Endpoint, req *httpx.Request) *inventory.Endpoint {
	if ep != nil || req == nil || s.opt.Inventory == nil {
		return ep
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil
	}
	path := u.Path
	if s.opt.Target != nil {
		if base := strings.TrimRight(s.opt.Target.Path, "/"); base != "" {
			path = "/" + strings.TrimPrefix(strings.TrimPrefix(path, base), "/")
		}
	}
	eps := s.opt.Inventory.Endpoints
	var templated *inventory.Endpoint
	for i := range eps {
		if !strings.EqualFold(eps[i].Method, req.Method) {
			continue
		}
		tpl, _, _ := strings.Cut(eps[i].Path, "?")
		if strings.TrimRight(tpl, "/") == strings.TrimRight(path, "/") {
			return &eps[i]
		}
		if _, ok := inventory.MatchPath(tpl, path); ok && templated == nil {
			templated = &eps[i]
		}
	}
	return templated
}

// noteTimeout counts a timeout against the endpoint.
func (s *Scan) noteTimeout(ep *inventory.Endpoint, err error) {
	if ep == nil || !timedOut(err) {
		return
	}
	s.mu.Lock()
	s.timeouts[ep.Key()]++
	s.mu.Unlock()
}

func timedOut(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout exceeded")
}

// hanging lists the endpoints that used up their timeouts, sorted.
func (s *Scan) hanging() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, n := range s.timeouts {
		if n >= maxTimeouts {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
