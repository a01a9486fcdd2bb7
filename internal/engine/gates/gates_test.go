package gates

import (
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
)

func TestGroup(t *testing.T) {
	ep := func(m, p string) *inventory.Endpoint { return &inventory.Endpoint{Method: m, Path: p} }
	a, b, c, d := ep("GET", "/items/{id}"), ep("GET", "/items"), ep("POST", "/items"), ep("GET", "/open")
	sigs := map[string]string{
		a.Key(): "source:app.py:12|login_required",
		b.Key(): "source:app.py:12|login_required",
		c.Key(): "anon=401/x",
		// d has no signature: no identity's credential gates it.
	}
	gs, of := Group(sigs, []*inventory.Endpoint{a, b, c, d})
	if len(gs) != 2 {
		t.Fatalf("%d gates, want 2", len(gs))
	}
	src := of[a.Key()]
	if src == nil || src != of[b.Key()] || src.ID != "source:app.py:12" {
		t.Fatalf("a and b should share the source gate, got %+v and %+v", of[a.Key()], of[b.Key()])
	}
	if src.Representative() != b {
		t.Errorf("representative %s, want the one without path parameters %s", src.Representative().Key(), b.Key())
	}
	beh := of[c.Key()]
	if beh == nil || beh == src || len(beh.ID) != len("behaviour:")+8 {
		t.Errorf("c: gate %+v, want its own behaviour gate", beh)
	}
	if of[d.Key()] != nil {
		t.Errorf("d has no signature but is in gate %s", of[d.Key()].ID)
	}
	if gs[0] != src || gs[1] != beh {
		t.Errorf("gates not sorted by representative: %s, %s", gs[0].ID, gs[1].ID)
	}
	if again, _ := Group(sigs, []*inventory.Endpoint{d, c, b, a}); again[1].ID != beh.ID {
		t.Errorf("behaviour gate id changed with input order: %s vs %s", again[1].ID, beh.ID)
	}
}
