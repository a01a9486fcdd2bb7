// Package engine runs a scan: it logs identities in, calibrates every
// endpoint per identity, runs the registered checks against what the
// calibration shows is gated, and collects findings and the auth matrix. It
// holds the one registry of dynamic checks.
package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// Options configure one scan.
type Options struct {
	Target      *url.URL
	Client      *httpx.Client
	Inventory   *inventory.Inventory
	Identities  []*identity.Identity
	Checks      []probe.Check
	AllowWrites bool
	// Parallel is how many endpoints are worked on at once.
	Parallel int
	// Settings are passed to every check.
	Settings probe.Settings
	// Allow, when set, decides which rules may be reported (--skip).
	Allow func(rule string) bool
	// Progress, when set, is told how far the checks have got.
	Progress func(Progress)
	// OnFinding is called as soon as a finding is recorded (streaming).
	OnFinding func(finding.Finding)
}

// Progress is a snapshot of a running scan.
type Progress struct {
	Done, Total int // check runs
	Requests    int
	Findings    int
}

// PreflightError means an identity could not be used: the scan cannot test.
type PreflightError struct{ Err error }

func (e *PreflightError) Error() string { return "identity preflight: " + e.Err.Error() }
func (e *PreflightError) Unwrap() error { return e.Err }

// Row is one endpoint's line of the auth matrix.
type Row struct {
	Endpoint *inventory.Endpoint
	Policy   string
	Matrix   map[string]string
	Requests int
}

// Outcome is everything a scan established.
type Outcome struct {
	Findings []finding.Finding
	Rows     []Row
	Notes    []string
	NotRun   []string
	// Writes are the endpoints not probed because they write.
	Writes []string
	// Incomplete is set when the context ended before every check ran.
	Incomplete bool
}

type key struct {
	ep string
	id string
}

// Scan is the state of one run; it implements probe.Env.
type Scan struct {
	opt     Options
	session *identity.Session
	eps     []*inventory.Endpoint

	mu       sync.Mutex
	cals     map[key]*oracle.Calibration
	anon     map[string]*oracle.Sample
	findings []finding.Finding
	seen     map[string]bool
	proven   map[string]bool
	notes    []string
	epReqs   map[string]int
	kinds    map[string]string
	// cells are the auth matrix per endpoint key (matrix.go).
	cells map[string][]probe.Cell
}

// Run performs the scan. A *PreflightError means nothing could be tested.
func Run(ctx context.Context, opt Options) (*Outcome, error) {
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	s := &Scan{
		opt:     opt,
		session: &identity.Session{Client: opt.Client, Target: opt.Target},
		cals:    map[key]*oracle.Calibration{},
		anon:    map[string]*oracle.Sample{},
		seen:    map[string]bool{},
		proven:  map[string]bool{},
		epReqs:  map[string]int{},
		kinds:   map[string]string{},
	}
	var writes []string
	for i := range opt.Inventory.Endpoints {
		ep := &opt.Inventory.Endpoints[i]
		if !safeMethod(ep.Method) && !opt.AllowWrites {
			writes = append(writes, ep.Key())
			continue
		}
		s.eps = append(s.eps, ep)
	}
	for _, id := range opt.Identities {
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			return nil, &PreflightError{Err: err}
		}
		opt.Client.Redactor.Add(creds.Secrets()...)
		s.kinds[id.Name] = credKind(creds)
	}
	if err := s.calibrate(ctx); err != nil {
		return nil, err
	}
	if err := s.preflight(); err != nil {
		return nil, &PreflightError{Err: err}
	}
	s.probeMatrix(ctx)
	s.runChecks(ctx)
	out := &Outcome{Writes: writes}
	for _, w := range writes {
		out.NotRun = append(out.NotRun, w+": writes need --allow-writes")
	}
	if ctx.Err() != nil {
		out.Incomplete = true
		out.NotRun = append(out.NotRun, "scan stopped early: "+context.Cause(ctx).Error())
	}
	s.mu.Lock()
	out.Findings = append([]finding.Finding(nil), s.findings...)
	out.Notes = append([]string(nil), s.notes...)
	s.mu.Unlock()
	out.Rows = s.matrix()
	finding.Sort(out.Findings)
	return out, nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// calibrate sends, per endpoint, one anonymous request and per identity the
// valid credential twice and a malformed one.
func (s *Scan) calibrate(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opt.Parallel)
	for _, ep := range s.eps {
		g.Go(func() error {
			anon := s.Send(gctx, ep, nil, identity.Creds{}, nil).Sample
			s.mu.Lock()
			s.anon[ep.Key()] = anon
			s.mu.Unlock()
			for _, id := range s.opt.Identities {
				creds, err := id.Creds(gctx, s.session)
				if err != nil {
					return &PreflightError{Err: err}
				}
				valid := []*oracle.Sample{
					s.Send(gctx, ep, nil, creds, nil).Sample,
					s.Send(gctx, ep, nil, creds, nil).Sample,
				}
				invalid := []*oracle.Sample{anon, s.Send(gctx, ep, nil, Malformed(creds), nil).Sample}
				cal := oracle.Calibrate(valid, invalid)
				s.mu.Lock()
				s.cals[key{ep.Key(), id.Name}] = cal
				s.mu.Unlock()
			}
			return nil
		})
	}
	return g.Wait()
}

// Malformed replaces every credential value with garbage of the same kind.
func Malformed(c identity.Creds) identity.Creds {
	m := c.Clone()
	if m.Bearer != "" {
		m.Bearer = "authprobe.malformed.token"
	}
	for _, mm := range []map[string]string{m.Headers, m.Query, m.Cookies} {
		for k := range mm {
			mm[k] = "authprobe-invalid-credential"
		}
	}
	return m
}

// preflight refuses identities that never authenticate: on every endpoint
// that refuses anonymous requests, they are refused too.
func (s *Scan) preflight() error {
	for _, id := range s.opt.Identities {
		gated, refusedLikeAnon := false, ""
		for _, ep := range s.eps {
			cal := s.cals[key{ep.Key(), id.Name}]
			if cal == nil {
				continue
			}
			if cal.Gated {
				gated = true
				break
			}
			anon := s.anon[ep.Key()]
			if refusedLikeAnon == "" && denied(anon) && len(cal.Accepted) > 0 && denied(cal.Accepted[0]) {
				refusedLikeAnon = fmt.Sprintf("%s answered it %d, as it answers a request without credentials", ep.Key(), cal.Accepted[0].Status)
			}
		}
		if !gated && refusedLikeAnon != "" {
			return fmt.Errorf("identity %s does not authenticate: %s; check its token, key or login", id.Name, refusedLikeAnon)
		}
		if !gated {
			s.Note(fmt.Sprintf("identity %s: no endpoint told its credential apart from none; checks that need a gated endpoint did not run for it", id.Name))
		}
	}
	return nil
}

func denied(s *oracle.Sample) bool {
	return s != nil && s.Err == nil && (s.Status == 401 || s.Status == 403)
}

func (s *Scan) runChecks(ctx context.Context) {
	var perID, perEP, perScan []probe.Check
	for _, c := range s.opt.Checks {
		switch c.Scope {
		case probe.PerIdentity:
			perID = append(perID, c)
		case probe.PerEndpoint:
			perEP = append(perEP, c)
		case probe.PerScan:
			perScan = append(perScan, c)
		}
	}
	for _, id := range s.opt.Identities {
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			s.Note(fmt.Sprintf("identity %s: %v", id.Name, err))
			continue
		}
		for _, c := range perID {
			c.Run(ctx, &probe.Pass{Env: s, Identity: id, Creds: creds})
		}
	}
	total := len(s.eps)*len(perEP) + len(perScan)
	var done atomic.Int64
	tick := func() {
		n := int(done.Add(1))
		if s.opt.Progress == nil {
			return
		}
		s.mu.Lock()
		found := len(s.findings)
		s.mu.Unlock()
		s.opt.Progress(Progress{Done: n, Total: total, Requests: s.opt.Client.Requests(), Findings: found})
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.opt.Parallel)
	for _, ep := range s.eps {
		g.Go(func() error {
			for _, c := range perEP {
				if gctx.Err() != nil {
					return nil
				}
				s.runOnEndpoint(gctx, c, ep)
				tick()
			}
			return nil
		})
	}
	_ = g.Wait()
	for _, c := range perScan {
		if ctx.Err() != nil {
			return
		}
		c.Run(ctx, &probe.Pass{Env: s})
		tick()
	}
}

// runOnEndpoint runs a per-endpoint check once per identity whose credential
// the endpoint gates; the check itself decides whether the identity's
// credentials are the kind it tests, and findings dedupe per endpoint.
func (s *Scan) runOnEndpoint(ctx context.Context, c probe.Check, ep *inventory.Endpoint) {
	for _, id := range s.opt.Identities {
		cal := s.Calibration(ep, id)
		if cal == nil || !cal.Gated {
			continue
		}
		creds, err := id.Creds(ctx, s.session)
		if err != nil {
			continue
		}
		c.Run(ctx, &probe.Pass{Env: s, Endpoint: ep, Identity: id, Creds: creds, Cal: cal})
	}
}

// URL returns the absolute URL of an endpoint on the target.
func (s *Scan) URL(ep *inventory.Endpoint) string {
	u := *s.opt.Target
	concrete := ep.Concrete(nil)
	path, query, _ := strings.Cut(concrete, "?")
	base := strings.TrimRight(u.Path, "/")
	if base != "" && !strings.HasPrefix(path, base+"/") && path != base {
		path = base + path
	}
	u.Path, u.RawPath, u.RawQuery = "", "", query
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
	if err := creds.Apply(req); err != nil {
		o.Sample = oracle.NewSample(0, nil, nil, err)
		o.Verdict, o.Why = oracle.Inconclusive, err.Error()
		return o
	}
	resp := s.opt.Client.Do(ctx, req)
	if ep != nil {
		s.mu.Lock()
		s.epReqs[ep.Key()]++
		s.mu.Unlock()
	}
	o.Sample = oracle.NewSample(resp.Status, resp.Header, resp.Body, resp.Err)
	if cal != nil {
		o.Verdict, o.Why = cal.Classify(o.Sample)
	} else if u := o.Sample.Unusable(); u != "" {
		o.Verdict, o.Why = oracle.Inconclusive, u
	}
	return o
}

// Report implements probe.Env: it completes, dedupes and streams a finding.
func (s *Scan) Report(f finding.Finding) {
	if f.Source == "" {
		f.Source = "dynamic"
	}
	if f.Confidence == "" {
		f.Confidence = finding.Firm
	}
	if s.opt.Allow != nil && !s.opt.Allow(f.Rule) {
		return
	}
	f.ComputeFingerprint()
	s.mu.Lock()
	if s.seen[f.Fingerprint] || s.dupOnEndpoint(f) {
		s.mu.Unlock()
		return
	}
	s.seen[f.Fingerprint] = true
	s.proven[provenKey(f.Rule, f.Endpoint)] = true
	s.proven[provenKey(f.Rule, nil)] = true
	s.findings = append(s.findings, f)
	cb := s.opt.OnFinding
	s.mu.Unlock()
	if cb != nil {
		cb(f)
	}
}

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

func (s *Scan) Redactor() *httpx.Redactor        { return s.opt.Client.Redactor }
func (s *Scan) Session() *identity.Session       { return s.session }
func (s *Scan) Inventory() *inventory.Inventory  { return s.opt.Inventory }
func (s *Scan) AllowWrites() bool                { return s.opt.AllowWrites }
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
