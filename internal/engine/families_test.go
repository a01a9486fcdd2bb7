package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestRegistryDeclarations: what checks declare is consistent — Requires
// name checks that run earlier, GateRules and Chains name rules some check
// reports, discriminators are per-endpoint checks of the verifier with
// distinct ranks, and a family's checks share one state declaration.
func TestRegistryDeclarations(t *testing.T) {
	reg := Registry()
	pos := map[string]int{}
	rules := map[string]bool{}
	for i, c := range reg {
		pos[c.ID] = i
		for _, r := range c.Rules {
			rules[r] = true
		}
	}
	ranks := map[int]string{}
	for i, c := range reg {
		for _, req := range c.Requires {
			if j, ok := pos[req]; !ok || j >= i {
				t.Errorf("%s requires %s, which is not registered before it", c.ID, req)
			}
		}
		for _, r := range c.GateRules {
			if !slices.Contains(c.Rules, r) {
				t.Errorf("%s: gate rule %s is not one of its rules", c.ID, r)
			}
		}
		for _, r := range c.Chains {
			if !rules[r] {
				t.Errorf("%s chains %s, which no check reports", c.ID, r)
			}
		}
		if d := c.Discriminates; d != nil {
			if c.Scope != probe.PerEndpoint || !c.Verifier {
				t.Errorf("%s discriminates but is not a per-endpoint check of the verifier", c.ID)
			}
			if other, dup := ranks[d.Rank]; dup {
				t.Errorf("%s and %s share discriminating rank %d", c.ID, other, d.Rank)
			}
			ranks[d.Rank] = c.ID
		}
		if c.Family != nil && c.Family.New == nil {
			t.Errorf("%s: family %s creates no state", c.ID, c.Family.Name)
		}
	}
}

// finishCounter is a family state that counts its Finish calls.
type finishCounter struct{ n *atomic.Int64 }

func (f finishCounter) Finish(context.Context, *probe.Pass) { f.n.Add(1) }

// TestFamilyFinishAlwaysRuns: the engine creates a selected check's family
// state once per scan, every pass of the scan sees the same state, and
// its Finish runs exactly once — after a full scan, and when the scan is
// cut short before any check ran.
func TestFamilyFinishAlwaysRuns(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-alice-0123456789" {
			http.Error(w, `{"error":"unauthorized"}`, 401)
			return
		}
		w.Write([]byte(`{"user":"alice"}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	for _, cancelled := range []bool{false, true} {
		var finished, created atomic.Int64
		var states []probe.State
		fam := &probe.Family{Name: "test", New: func() probe.State {
			created.Add(1)
			return finishCounter{&finished}
		}}
		check := probe.Check{ID: "test.family", Rules: []string{"test.rule"}, Scope: probe.PerEndpoint, Family: fam,
			Run: func(_ context.Context, p *probe.Pass) { states = append(states, p.State(fam)) }}
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Concurrency: 1})
		if err != nil {
			t.Fatal(err)
		}
		var eps []inventory.Endpoint
		for _, line := range []string{"GET /a", "GET /b"} {
			ep, _ := inventory.ParseEndpoint(line)
			eps = append(eps, ep)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if cancelled {
			cancel()
		}
		_, err = Run(ctx, Options{Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: eps}, Parallel: 1,
			Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: "tok-alice-0123456789"}}}, Checks: []probe.Check{check}})
		cancel()
		if err != nil {
			t.Fatalf("cancelled %v: %v", cancelled, err)
		}
		if created.Load() != 1 || finished.Load() != 1 {
			t.Errorf("cancelled %v: state created %d times, finished %d times; want 1 and 1", cancelled, created.Load(), finished.Load())
		}
		if !cancelled && (len(states) != 2 || states[0] != states[1]) {
			t.Errorf("the check's passes saw %d states, not one shared: %v", len(states), states)
		}
	}
}
