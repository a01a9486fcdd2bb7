package engine

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// URL returns the absolute URL of an endpoint on the target.
func (s *Scan) URL(ep *inventory.Endpoint) string { return endpointURL(s.opt.Target, ep) }

// endpointURL is ep's concrete path (and query, after it) on target, under
// the target's own base path.
func endpointURL(target *url.URL, ep *inventory.Endpoint) string {
	u := *target
	concrete := ep.Concrete(nil)
	path, query, _ := strings.Cut(concrete, "?")
	base := strings.TrimRight(u.Path, "/")
	if base != "" && !strings.HasPrefix(path, base+"/") && path != base {
		path = base + path
	}
	u.Path, u.RawPath, u.RawQuery = "", "", ""
	if query != "" {
		// The query follows the path: u.String() would put it before.
		return u.String() + path + "?" + query
	}
	return u.String() + path
}

// Send implements probe.Env.
func (s *Scan) Send(ctx context.Context, ep *inventory.Endpoint, req *httpx.Request, creds identity.Creds, cal *oracle.Calibration) *probe.Outcome {
	if req == nil {
		req = &httpx.Request{Method: ep.Method, URL: s.URL(ep), Header: http.Header{}}
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	o := &probe.Outcome{Request: req}
	if req.Identity == "" {
		req.Identity = probe.Label(ctx)
	}
	if req.Identity == "" {
		req.Identity = s.whoIs(creds)
	}
	why, create := s.guardWrite(ep, req, creds)
	if why != "" {
		if s.First("guard " + why) {
			s.NotRun(why)
		}
		o.Sample = oracle.NewSample(0, nil, nil, errNotCreated)
		o.Verdict, o.Why = oracle.Inconclusive, why
		return o
	}
	if err := creds.Apply(req); err != nil {
		o.Sample = oracle.NewSample(0, nil, nil, err)
		o.Verdict, o.Why = oracle.Inconclusive, err.Error()
		return o
	}
	if h, ok := s.hung(s.endpointOf(ep, req)); ok {
		h.Request = req
		return h
	}
	resp := s.do(ctx, ep, req)
	if ep != nil {
		s.mu.Lock()
		s.epReqs[ep.Key()]++
		s.mu.Unlock()
	}
	if create {
		where := ""
		if ep != nil {
			where = ep.Path
		}
		s.learnMade(where, req.URL, resp.Status, resp.Header, resp.Body)
	}
	o.Sample = oracle.NewSample(resp.Status, resp.Header, resp.Body, resp.Err)
	o.Sample.Took = resp.Duration
	if cal != nil {
		o.Verdict, o.Why = cal.Classify(o.Sample)
	} else if u := o.Sample.Unusable(); u != "" {
		o.Verdict, o.Why = oracle.Inconclusive, u
	}
	if ep != nil && noVerdict(o, cal) {
		s.mu.Lock()
		s.epUnusable[ep.Key()]++
		s.mu.Unlock()
	}
	return o
}

// Report implements probe.Env: it completes, merges per root cause and
// streams a finding.
func (s *Scan) Report(f finding.Finding) { s.report(f, nil) }

// dupOnEndpoint: an endpoint weakness proven with one identity is not
// reported again with another.
func (s *Scan) dupOnEndpoint(f finding.Finding) bool {
	return f.Endpoint != nil && s.proven[provenKey(f.Rule, f.Endpoint)]
}

func provenKey(rule string, ep *finding.Endpoint) string {
	if ep == nil {
		return rule + "|*"
	}
	return rule + "|" + ep.Method + " " + ep.Path
}

// Proven implements probe.Env.
func (s *Scan) Proven(rule string, ep *inventory.Endpoint) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ep == nil {
		return s.proven[provenKey(rule, nil)]
	}
	return s.proven[provenKey(rule, &finding.Endpoint{Method: ep.Method, Path: ep.Path})]
}

// Settings implements probe.Env.
func (s *Scan) Settings() probe.Settings { return s.opt.Settings }

// First implements probe.Env.
func (s *Scan) First(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen["first|"+k] {
		return false
	}
	s.seen["first|"+k] = true
	return true
}

// Note implements probe.Env.
func (s *Scan) Note(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, msg)
}

// NotRun implements probe.Env.
func (s *Scan) NotRun(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notRun = append(s.notRun, msg)
}

// Undecided implements probe.Env: the first reason per family is kept.
func (s *Scan) Undecided(family, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.undecided == nil {
		s.undecided = map[string]string{}
	}
	if s.undecided[family] == "" {
		s.undecided[family] = why
	}
}

func (s *Scan) Redactor() *httpx.Redactor { return s.opt.Client.Redactor }

func (s *Scan) Session() *identity.Session { return s.session }

func (s *Scan) Inventory() *inventory.Inventory { return s.opt.Inventory }

func (s *Scan) AllowWrites() bool { return s.opt.AllowWrites }

func (s *Scan) Identities() []*identity.Identity { return s.opt.Identities }

func (s *Scan) Endpoints() []*inventory.Endpoint { return s.eps }

// Calibration implements probe.Env.
func (s *Scan) Calibration(ep *inventory.Endpoint, id *identity.Identity) *oracle.Calibration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cals[key{ep.Key(), id.Name}]
}

// Anonymous implements probe.Env.
func (s *Scan) Anonymous(ep *inventory.Endpoint) *oracle.Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.anon[ep.Key()]
}

// whoIs names the principal a request is sent as: an identity when every
// credential value is one of its own, "NAME (modified)" when only some are
// (a forged or swapped token beside its other credentials), "anonymous"
// with none, "crafted" otherwise.
func (s *Scan) whoIs(c identity.Creds) string {
	vals := c.Secrets()
	names := map[string]bool{}
	unknown := 0
	for _, v := range vals {
		if v == "" {
			continue
		}
		if n := s.secrets[v]; n != "" {
			names[n] = true
		} else {
			unknown++
		}
	}
	switch {
	case len(names) == 0 && unknown == 0:
		return "anonymous"
	case len(names) == 0:
		return "crafted"
	case len(names) > 1:
		return "combined"
	}
	for n := range names {
		if unknown > 0 {
			return n + " (modified)"
		}
		return n
	}
	return ""
}

// noVerdict: an answer that decides nothing: throttling or no answer at
// all, or a server error that the calibration did not recognise as its
// refusal (uncalibrated 5xx are left out: a consistent 500 may be how the
// API refuses).
func noVerdict(o *probe.Outcome, cal *oracle.Calibration) bool {
	sm := o.Sample
	switch {
	case sm.Err != nil || sm.Status == 429:
		return true
	case sm.Status >= 500:
		return cal != nil && o.Verdict == oracle.Inconclusive
	}
	return false
}
