// Package engine runs a scan's phases: it logs identities in, calibrates
// every endpoint per identity, maps the gates (endpoints that share a
// verifier; package gates groups them), runs the registered checks on each
// gate's representative and confirms them on its other members, collects
// one finding per root cause with its instances, and probes the auth
// matrix (package matrix reads its rows and policies). It implements
// probe.Env, holds the one registry of dynamic checks and reads what each
// check declares (probe.Check) instead of knowing checks by name; it
// creates and finishes the families' per-scan state.
package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/authprobe/authprobe/internal/engine/gates"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/matrix"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	register "github.com/authprobe/authprobe/internal/probe/accounts"
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
	// Fast confirms a technique proven on a gate's representative on a
	// sample of the other members only (--fast); the rest are listed as
	// inferred instances (not confirmed).
	Fast bool
	// SourceGates names, per endpoint key, the verifier its route reaches
	// in the code ("FILE:LINE|..."; --source): endpoints are grouped by it
	// as well as by behaviour, and the gate takes its name.
	SourceGates map[string]string
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

type key struct {
	ep string
	id string
}

// Scan is the state of one run; it implements probe.Env.
type Scan struct {
	opt     Options
	session *identity.Session
	eps     []*inventory.Endpoint

	mu        sync.Mutex
	cals      map[key]*oracle.Calibration
	anon      map[string]*oracle.Sample
	malformed map[key]*oracle.Sample
	valid     map[key]*oracle.Sample
	// gates is the gate map (gates.go); gateOf maps an endpoint key to its
	// gate when the gate has other members.
	gates  []*gates.Gate
	gateOf map[string]*gates.Gate
	// refusal is each gated endpoint's refusal signature: findings of a
	// verifier's rules are one per signature.
	refusal map[string]string
	// disc holds each grouped endpoint's discriminating answers per check
	// and identity ("check|identity").
	disc map[string]map[string]*probe.Outcome
	// roots are the findings per root cause (roots.go); issuer names who
	// issued each identity's token.
	roots  map[string]*root
	issuer map[string]string
	// creds are each identity's credentials at the start (credOrder: the
	// identities in order), to tell a replayed credential's origin.
	creds     map[string]identity.Creds
	credOrder []string
	findings  []finding.Finding
	seen      map[string]bool
	proven    map[string]bool
	notes     []string
	notRun    []string          // planned steps a check did not take, and why
	undecided map[string]string // family -> why a check of it decided nothing
	epReqs    map[string]int
	kinds     map[string]string
	// secrets maps each identity's credential values to its name, for
	// labelling requests in the transcript.
	secrets map[string]string
	// throwawaySecrets maps the credential values a throwaway identity's
	// login issued (an account the scan registered, its fresh logins) to
	// its name: a write naming no object may be sent with them.
	throwawaySecrets map[string]string
	// made are the ids of objects the scan created (guard.go), each with
	// the collections it was created in (collections.go; "" anywhere):
	// the only objects a state-changing request may name.
	made map[string]map[string]bool
	// cells are the auth matrix per endpoint key (matrix.go).
	cells map[string][]probe.Cell
	// registration is what registering throwaway accounts taught (nil:
	// none made).
	registration *register.Result
	// flows are the lifecycle endpoints only the lifecycle checks send.
	flows []string
	// epUnusable counts each endpoint's answers that were no verdict
	// (429, unrecognised 5xx, timeouts): coverage does not count them.
	epUnusable map[string]int
	// timeouts counts each endpoint's timeouts (hang.go).
	timeouts map[string]int
	// failed are the identities preflight set aside (preflight.go).
	failed []Failed
	// phase and checksStarted say how far the scan got (interrupts).
	phase         string
	checksStarted bool
	// decl is what the registered checks declare (families.go);
	// checkByID finds a check by id.
	decl      declared
	checkByID map[string]probe.Check
	// states are the families' per-scan states, in the order created;
	// finished says whose Finish ran.
	states      map[*probe.Family]probe.State
	familyOrder []*probe.Family
	finished    map[*probe.Family]bool
}

// Run performs the scan. A *PreflightError means no identity could be
// used: nothing that needs one was tested; the outcome returned with it
// holds what was established (the result is still written).
func Run(ctx context.Context, opt Options) (*Outcome, error) {
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	s := &Scan{
		opt:              opt,
		session:          &identity.Session{Client: opt.Client, Target: opt.Target},
		throwawaySecrets: map[string]string{},
		cals:             map[key]*oracle.Calibration{},
		anon:             map[string]*oracle.Sample{},
		malformed:        map[key]*oracle.Sample{},
		valid:            map[key]*oracle.Sample{},
		gateOf:           map[string]*gates.Gate{},
		disc:             map[string]map[string]*probe.Outcome{},
		roots:            map[string]*root{},
		issuer:           map[string]string{},
		creds:            map[string]identity.Creds{},
		seen:             map[string]bool{},
		proven:           map[string]bool{},
		epReqs:           map[string]int{},
		kinds:            map[string]string{},
		secrets:          map[string]string{},
		timeouts:         map[string]int{},
		checkByID:        map[string]probe.Check{},
		states:           map[*probe.Family]probe.State{},
		finished:         map[*probe.Family]bool{},

		epUnusable: map[string]int{},
	}
	s.session.OnLogin = s.loggedIn
	known := append(Registry(), opt.Checks...)
	for _, c := range known {
		s.checkByID[c.ID] = c
	}
	s.decl = declare(known)
	s.startFamilies()
	defer s.finishFamilies(ctx)
	var writes []string
	for i := range opt.Inventory.Endpoints {
		ep := &opt.Inventory.Endpoints[i]
		if probe.Reserved(ep, opt.Settings.Flows) {
			// Logout, refresh, password and registration endpoints are
			// driven by the lifecycle checks only, with bodies and on
			// accounts they may change: a body-less POST to logout with
			// the scan's token would revoke it mid-scan.
			s.flows = append(s.flows, ep.Key())
			continue
		}
		if !safeMethod(ep.Method) {
			// Writes never go through the generic checks: body-less and
			// unordered they fail or destroy; the write phase
			// (probe/writes) sends them with bodies, after every read.
			if !opt.AllowWrites {
				writes = append(writes, ep.Key())
			}
			continue
		}
		s.eps = append(s.eps, ep)
	}
	// An interrupt or a spent budget is never blamed on an identity: when
	// the context has ended, what failed is the scan, and the outcome says
	// how far it got.
	s.phase = "login"
	for _, id := range opt.Identities {
		if err := s.login(ctx, id); err != nil {
			if ctx.Err() != nil {
				return s.outcome(ctx, writes), nil
			}
			s.dropIdentity(id.Name, "login failed: "+err.Error())
			continue
		}
	}
	if opt.AllowWrites {
		s.phase = "accounts"
		s.makeAccounts(ctx)
		if ctx.Err() != nil {
			return s.outcome(ctx, writes), nil
		}
	}
	if len(opt.Identities) > 0 {
		s.opt.Identities = s.active()
		if len(s.opt.Identities) == 0 {
			return s.outcome(ctx, writes), &PreflightError{Err: fmt.Errorf("no identity could be used: %s", s.failedSummary())}
		}
	}
	s.phase = "calibration"
	plain, params := splitByParams(s.eps)
	early := min(earlyEndpoints, len(plain))
	_ = s.calibrate(ctx, plain[:early])
	if ctx.Err() != nil {
		return s.outcome(ctx, writes), nil
	}
	if len(opt.Identities) > 0 {
		if err := s.preflight(plain[:early], true); err != nil {
			return s.outcome(ctx, writes), &PreflightError{Err: err}
		}
	}
	_ = s.calibrate(ctx, plain[early:])
	if ctx.Err() != nil {
		return s.outcome(ctx, writes), nil
	}
	s.harvest(params, plain)
	_ = s.calibrate(ctx, params)
	if ctx.Err() != nil {
		return s.outcome(ctx, writes), nil
	}
	if len(opt.Identities) > 0 {
		if err := s.preflight(s.eps, false); err != nil {
			return s.outcome(ctx, writes), &PreflightError{Err: err}
		}
		s.opt.Identities = s.active()
	}
	s.mapGates(ctx)
	s.phase = "checks"
	s.checksStarted = true
	s.probeMatrix(ctx)
	s.runChecks(ctx)
	return s.outcome(ctx, writes), nil
}

// outcome collects what the scan established so far.
// login logs an identity in and records its credentials.
func (s *Scan) login(ctx context.Context, id *identity.Identity) error {
	creds, err := id.Creds(ctx, s.session)
	if err != nil {
		return err
	}
	s.opt.Client.Redactor.Add(creds.Secrets()...)
	s.kinds[id.Name] = matrix.CredKind(creds)
	for _, v := range creds.Secrets() {
		if v != "" && s.secrets[v] == "" {
			s.secrets[v] = id.Name
		}
	}
	s.issuer[id.Name] = issuerOf(id, creds)
	s.creds[id.Name] = creds
	s.credOrder = append(s.credOrder, id.Name)
	return nil
}

// addIdentity adds an identity made during the scan (an account it
// registered) once it has logged in.
func (s *Scan) addIdentity(ctx context.Context, id *identity.Identity) error {
	if err := s.login(ctx, id); err != nil {
		return err
	}
	s.opt.Identities = append(s.opt.Identities, id)
	return nil
}

// safeMethod: a read (RFC 9110's safe methods). TRACE is one: an app
// that routes it explicitly (FastAPI's @app.trace) answers it like a GET,
// and its answer is read for leaks like any other.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}
