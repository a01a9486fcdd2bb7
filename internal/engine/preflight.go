package engine

import (
	"fmt"
	"slices"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/transport"
)

// Preflight informs, it does not block. An identity whose login fails, or
// that is refused everywhere it was tried, is reported and the scan goes
// on with the others; one identity let in where another is refused is a
// fact of the auth matrix (BFLA), not a failed preflight. Only when no
// identity authenticates anywhere does the scan stop (exit 3), and what it
// established is still returned. It decides after the first few endpoints
// (earlyEndpoints), so a scan with dead credentials ends in seconds.

// earlyEndpoints is how many endpoints are calibrated before preflight
// first looks; earlyRefusals is how many of them must refuse anonymous
// requests, and the identities alike, before it may stop the scan there.
const (
	earlyEndpoints = 6
	earlyRefusals  = 3
)

// Failed is an identity preflight set aside, and why.
type Failed struct {
	Identity string
	Reason   string
}

// dropIdentity sets an identity aside for the rest of the scan (once).
func (s *Scan) dropIdentity(name, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.failed {
		if f.Identity == name {
			return
		}
	}
	s.failed = append(s.failed, Failed{Identity: name, Reason: why})
	s.notes = append(s.notes, fmt.Sprintf("identity %s: %s; the scan goes on without it", name, why))
}

// active returns the identities not set aside.
func (s *Scan) active() []*identity.Identity {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*identity.Identity
	for _, id := range s.opt.Identities {
		if !slices.ContainsFunc(s.failed, func(f Failed) bool { return f.Identity == id.Name }) {
			out = append(out, id)
		}
	}
	return out
}

// authenticates says, for one identity over the endpoints calibrated so
// far, whether some endpoint told its credential apart from none (in),
// and where it was refused exactly as a request without credentials is
// (refusedAt, with the count of such endpoints).
func (s *Scan) authenticates(id *identity.Identity, eps []*inventory.Endpoint) (in bool, refusedAt string, refused int, where []*inventory.Endpoint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ep := range eps {
		k := key{ep.Key(), id.Name}
		cal := s.cals[k]
		if cal == nil {
			continue
		}
		if cal.Gated {
			// Told apart from none, whatever the code was read to expect
			// there (an inline check answering 200 reads as public).
			return true, "", 0, nil
		}
		if !expects(ep, s.kinds[id.Name]) {
			continue
		}
		anon, valid := s.anon[ep.Key()], s.valid[k]
		if oracle.Served(anon) || valid == nil {
			continue
		}
		if oracle.LoginRedirect(valid) && len(s.creds[id.Name].Cookies) == 0 {
			// A web page sending everyone without a session to its login
			// form says nothing about a header or query credential.
			continue
		}
		// Only a clear refusal condemns a credential: a server error or
		// a redirect answered to everyone alike may be a broken or
		// unrelated page, not this credential refused.
		if oracle.Refusal(anon) && oracle.Refusal(valid) {
			refused++
			where = append(where, ep)
			if refusedAt == "" {
				refusedAt = fmt.Sprintf("%s answered it %d, as it answers a request without credentials (the server said %s)",
					ep.Key(), valid.Status, transport.Excerpt(valid.Status, valid.Body))
			}
		}
	}
	return false, refusedAt, refused, where
}

// letInElsewhere reports whether an identity refused at eps is refused
// for a role it does not have: a more privileged identity (role: admin,
// when this one is not) is let in somewhere it is refused, and no peer is
// let in anywhere it is refused. Then its refusals are facts of the matrix
// (BFLA), not a credential that fails. Refused where a peer gets in, or
// only where nobody gets in, its credential is what fails.
func (s *Scan) letInElsewhere(name string, eps []*inventory.Endpoint) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.opt.Identities {
		if id.Name == name && id.Admin() {
			return false
		}
	}
	adminIn := false
	for _, ep := range eps {
		for _, id := range s.opt.Identities {
			c := s.cals[key{ep.Key(), id.Name}]
			if id.Name == name || c == nil || !c.Gated {
				continue
			}
			if !id.Admin() {
				return false
			}
			adminIn = true
		}
	}
	return adminIn
}

// preflight looks at the identities after calibration (early: after the
// first endpoints only). Identities refused everywhere they were tried are
// set aside with a note; an error is returned only when none is left that
// authenticates anywhere — early, only on clear evidence.
func (s *Scan) preflight(eps []*inventory.Endpoint, early bool) error {
	ids := s.active()
	if len(ids) == 0 {
		return fmt.Errorf("no identity could be used: %s", s.failedSummary())
	}
	anyIn := false
	var dead, why []string
	var places [][]*inventory.Endpoint
	for _, id := range ids {
		in, at, n, where := s.authenticates(id, eps)
		switch {
		case in:
			anyIn = true
		case at != "" && (!early || n >= earlyRefusals):
			dead = append(dead, id.Name)
			why = append(why, id.Name+": "+at)
			places = append(places, where)
		}
	}
	if early {
		if !anyIn && len(dead) == len(ids) {
			return fmt.Errorf("no identity authenticates after %d endpoints: identity %s does not authenticate (%s); check their tokens, keys or logins", len(eps), dead[0], why[0])
		}
		return nil
	}
	if !anyIn && len(dead) == len(ids) {
		return fmt.Errorf("no identity authenticates anywhere: identity %s does not authenticate (%s); check their tokens, keys or logins", dead[0], why[0])
	}
	for i, name := range dead {
		if s.letInElsewhere(name, places[i]) {
			// Refused only where another identity gets in: its role, kept
			// in the matrix for BFLA.
			s.Note(fmt.Sprintf("identity %s: refused everywhere it was tried, and only where another identity is let in (%s): kept for the authorization checks", name, why[i]))
			continue
		}
		s.dropIdentity(name, "refused everywhere it was tried ("+why[i]+")")
	}
	for _, id := range ids {
		if in, at, _, _ := s.authenticates(id, eps); !in && at == "" {
			s.Note(fmt.Sprintf("identity %s: no endpoint told its credential apart from none; checks that need a gated endpoint did not run for it", id.Name))
		}
	}
	return nil
}

func (s *Scan) failedSummary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failed) == 0 {
		return "none configured"
	}
	return s.failed[0].Identity + ": " + s.failed[0].Reason
}
