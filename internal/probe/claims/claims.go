// Package claims holds the live checks that need signing material: it
// recovers weak HMAC secrets of the identities' JWTs and Flask session
// cookies offline and proves them with one forged request, and with a
// signing capability (recovered, or given by the owner with --jwt-secret or
// --jwt-key) it runs the claim-validation matrix on every gated endpoint
// (expired, missing exp, nbf, iat, iss, aud, algorithm pinning) and shows
// what forged privilege claims unlock.
package claims

import (
	"context"
	"sync"

	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/forgery"
)

const (
	weakSecret    = "jwt.weak-secret"
	sessionSecret = "session.weak-secret"
	privilege     = "jwt.forged-privilege"
)

var matrixRules = []string{
	"jwt.expired-accepted", "jwt.missing-exp-accepted", "jwt.nbf-ignored", "jwt.iat-future-accepted",
	"jwt.iss-not-validated", "jwt.aud-not-validated", "jwt.alg-not-pinned",
}

// Checks returns the family's checks in the order they must run: secret
// recovery (per identity, before any endpoint check) feeds the matrix and
// the privilege check. The checks share the secrets recovered in a scan
// through the value returned here, keyed by the scan.
func Checks() []probe.Check {
	f := family{}
	return []probe.Check{
		{ID: weakSecret, Scope: probe.PerIdentity, Rules: []string{weakSecret}, Run: f.recoverJWT, GateRules: []string{weakSecret}, Chains: []string{privilege}, Family: state,
			Doc: "recovers the HMAC secret of each identity's HS256/384/512 token offline, then forges one request with it"},
		{ID: sessionSecret, Scope: probe.PerIdentity, Rules: []string{sessionSecret}, Run: f.recoverSession, GateRules: []string{sessionSecret}, Chains: []string{privilege}, Family: state,
			Doc: "recovers the Flask SECRET_KEY from each identity's session cookie offline, then forges one request with it"},
		{ID: "jwt.claims", Scope: probe.PerEndpoint, Rules: matrixRules, Run: f.matrix, GateRules: matrixRules, Family: state, Requires: []string{forgery.NotVerified},
			Doc: "with a signing key (recovered or --jwt-secret/--jwt-key): expired, exp-less, not-yet-valid, future-iat, wrong iss/aud and re-algorithmed tokens"},
		{ID: privilege, Scope: probe.PerEndpoint, Rules: []string{privilege}, Run: f.privilege, GateRules: []string{privilege}, Family: state, Requires: []string{forgery.NotVerified},
			Doc: "with a recovered key: a token forged with admin role/scope claims, reported only when the answer shows more than the identity's own"},
	}
}

// state declares the family's per-scan state: the engine creates it.
var state = &probe.Family{Name: "claims", New: func() probe.State { return &scanState{caps: map[string]*capability{}} }}

// family holds the family's checks; their state is the scan's.
type family struct{}

func (family) of(env probe.Env) *scanState { return env.State(state).(*scanState) }

// scanState is what one scan has learnt: recovered secrets and each
// identity's signing capability.
type scanState struct {
	mu      sync.Mutex
	secrets [][]byte               // every secret recovered so far
	caps    map[string]*capability // by identity name; nil entry: looked, none
	// failed are the issuers whose secret withstood the whole budget: the
	// tokens of one issuer share a key, so another identity's is not
	// cracked again.
	failed map[string]bool
	// keys serialise the search for one issuer's key.
	keys map[string]*sync.Mutex
}

// lockKey holds the search for an issuer's key until the returned
// function is called.
func (s *scanState) lockKey(issuer string) func() {
	s.mu.Lock()
	if s.keys == nil {
		s.keys = map[string]*sync.Mutex{}
	}
	m := s.keys[issuer]
	if m == nil {
		m = &sync.Mutex{}
		s.keys[issuer] = m
	}
	s.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// tried records (mark) or asks whether an issuer's secret was already
// searched for in vain.
func (s *scanState) tried(issuer string, mark bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed == nil {
		s.failed = map[string]bool{}
	}
	was := s.failed[issuer]
	if mark {
		s.failed[issuer] = true
	}
	return was
}

func (s *scanState) addSecret(sec []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets = append(s.secrets, append([]byte(nil), sec...))
}

// known returns a secret recovered earlier in the scan that verify accepts.
func (s *scanState) known(verify func([]byte) bool) ([]byte, bool) {
	s.mu.Lock()
	secrets := append([][]byte(nil), s.secrets...)
	s.mu.Unlock()
	for _, sec := range secrets {
		if verify(sec) {
			return sec, true
		}
	}
	return nil, false
}

// Finish implements probe.State: nothing outlives the scan.
func (s *scanState) Finish(context.Context, *probe.Pass) {}

func (s *scanState) setCap(id string, c *capability) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.caps[id] = c
}
