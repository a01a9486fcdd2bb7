package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/report"
)

// TestUndecidedFamiliesAreNotGraded: every way a family can fail to decide
// makes the result "incomplete, not graded", from the scan's own state to
// the grade: no refusal told apart from an identity's answer, every write
// skipped, an identity set aside by preflight, every key-guessing series
// inconclusive (Env.Undecided), endpoints answering mostly 429/5xx/timeouts. The same API with the family deciding is graded, so
// each case fails if its cause stops counting.
func TestUndecidedFamiliesAreNotGraded(t *testing.T) {
	t.Parallel()
	refused := oracle.NewSample(401, nil, []byte(`{"error":"unauthorized"}`), nil)
	items := oracle.NewSample(200, nil, []byte(`{"items":[{"id":1},{"id":2}]}`), nil)
	read := &inventory.Endpoint{Method: "GET", Path: "/items"}
	other := &inventory.Endpoint{Method: "GET", Path: "/orders"}
	write := inventory.Endpoint{Method: "POST", Path: "/items"}
	alice := &identity.Identity{Name: "alice", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "alice-key-7f3a"}}}
	bob := &identity.Identity{Name: "bob", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "bob-key-91c2"}}}
	// deciding is an API where both reads refuse no credential and serve
	// both identities, no write is planned, and nothing failed.
	deciding := func() *Scan {
		gated := oracle.Calibrate([]*oracle.Sample{items}, []*oracle.Sample{refused})
		s := &Scan{
			opt:        Options{Identities: []*identity.Identity{alice, bob}, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{*read, *other}}},
			eps:        []*inventory.Endpoint{read, other},
			cals:       map[key]*oracle.Calibration{},
			anon:       map[string]*oracle.Sample{read.Key(): refused, other.Key(): refused},
			epReqs:     map[string]int{read.Key(): 10, other.Key(): 10},
			epUnusable: map[string]int{},
			timeouts:   map[string]int{},
		}
		for _, ep := range s.eps {
			for _, id := range []string{"alice", "bob"} {
				s.cals[key{ep.Key(), id}] = gated
			}
		}
		return s
	}
	graded := func(s *Scan) report.Grading {
		r := report.New("http://x", "0")
		r.Coverage = reportCoverage(s.coverage(context.Background(), nil))
		return report.GradingOf(r)
	}
	if g := graded(deciding()); !g.Graded() {
		t.Fatalf("the deciding API was not graded: %s", g.Text())
	}
	cases := []struct {
		name, want string
		spoil      func(s *Scan)
	}{
		{"no refusal recognised", "could not decide: no endpoint's refusal was told apart", func(s *Scan) {
			ungated := oracle.Calibrate([]*oracle.Sample{items}, nil)
			for k := range s.cals {
				s.cals[k] = ungated
			}
		}},
		{"the identities' keys never told apart from none", "apikey: could not decide: no endpoint told an identity's key apart from none", func(s *Scan) {
			ungated := oracle.Calibrate([]*oracle.Sample{items}, nil)
			for k := range s.cals {
				s.cals[k] = ungated
			}
		}},
		{"every write skipped", "writes: could not decide: every write was skipped", func(s *Scan) {
			s.opt.AllowWrites = true
			s.opt.Inventory.Endpoints = append(s.opt.Inventory.Endpoints, write)
		}},
		{"identity set aside by preflight", "could not decide: identities set aside by preflight", func(s *Scan) {
			s.failed = []Failed{{Identity: "bob", Reason: "refused everywhere it was tried"}}
		}},
		{"every key-guessing series inconclusive", "apikey: could not decide: no key-guessing series could decide", func(s *Scan) {
			s.Undecided("apikey", "no key-guessing series could decide (GET /items: attempt 3 was not answered as a refusal)")
		}},
		{"only writes, sent, and no read told a key apart", "apikey: could not decide: no endpoint told an identity's key apart from none", func(s *Scan) {
			// keyecho-fastapi's shape (batch 6, seen): one keyed POST, sent
			// by the write phase; the scan has no read at all.
			s.opt.AllowWrites = true
			s.opt.Inventory.Endpoints = []inventory.Endpoint{write}
			s.eps, s.cals, s.anon = nil, map[key]*oracle.Calibration{}, map[string]*oracle.Sample{}
			s.epReqs = map[string]int{write.Key(): 6}
			s.anon[write.Key()] = refused
		}},
		{"mostly 429, 5xx or timeouts", "answered mostly 429, 5xx or timeouts", func(s *Scan) {
			s.epUnusable[read.Key()], s.epUnusable[other.Key()] = 8, 8
		}},
	}
	for _, c := range cases {
		s := deciding()
		c.spoil(s)
		g := graded(s)
		if g.Graded() || g.Kind != report.Incomplete || !strings.Contains(g.Text(), c.want) {
			t.Errorf("%s: graded %v, %q; want incomplete naming %q", c.name, g.Graded(), g.Text(), c.want)
		}
	}
}
