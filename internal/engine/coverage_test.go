package engine

import (
	"net/http"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
)

func TestWhoIs(t *testing.T) {
	t.Parallel()
	s := &Scan{secrets: map[string]string{"tokA": "alice", "keyA": "alice", "tokB": "bob"}}
	cases := []struct {
		c    identity.Creds
		want string
	}{
		{identity.Creds{}, "anonymous"},
		{identity.Creds{Bearer: "tokA", Headers: map[string]string{"X-API-Key": "keyA"}}, "alice"},
		{identity.Creds{Bearer: "forged", Headers: map[string]string{"X-API-Key": "keyA"}}, "alice (modified)"},
		{identity.Creds{Bearer: "tokA", Headers: map[string]string{"X-API-Key": "tokB"}}, "combined"},
		{identity.Creds{Bearer: "forged"}, "crafted"},
	}
	for _, c := range cases {
		if got := s.whoIs(c.c); got != c.want {
			t.Errorf("whoIs(%+v) = %q, want %q", c.c, got, c.want)
		}
	}
}

// TestPreflightJudgesOnRoutesOfItsKind: an API-key identity refused on a
// route the code guards with JWTs only, or on one whose code checks no
// credential (a 200 "not found" envelope answered to all), does not fail
// the preflight; refused on a route that checks API keys, it does.
func TestPreflightJudgesOnRoutesOfItsKind(t *testing.T) {
	t.Parallel()
	denied := oracle.NewSample(401, nil, []byte(`{"error":"unauthorized"}`), nil)
	for _, c := range []struct {
		expects []string
		fail    bool
	}{{[]string{"jwt"}, false}, {[]string{"api-key"}, true}, {nil, true}, {[]string{inventory.ExpectsNone}, false}} {
		ep := &inventory.Endpoint{Method: "GET", Path: "/admin", Expects: c.expects}
		id := &identity.Identity{Name: "partner"}
		s := &Scan{
			opt:   Options{Identities: []*identity.Identity{id}},
			eps:   []*inventory.Endpoint{ep},
			cals:  map[key]*oracle.Calibration{{ep.Key(), "partner"}: {Accepted: []*oracle.Sample{denied}}},
			valid: map[key]*oracle.Sample{{ep.Key(), "partner"}: denied},
			anon:  map[string]*oracle.Sample{ep.Key(): denied},
			kinds: map[string]string{"partner": "key"},
		}
		if err := s.preflight(s.eps, false); (err != nil) != c.fail {
			t.Errorf("expects %v: preflight error %v, want failure %v", c.expects, err, c.fail)
		}
	}
}

// TestPreflightInforms: an identity refused where another is let in is
// kept (a fact of the matrix, for BFLA); an identity refused where nobody
// is let in is set aside with a note, and the scan goes on; only when no
// identity authenticates anywhere does preflight fail. Refusals are
// recognised by the one oracle: a 200 error envelope here.
func TestPreflightInforms(t *testing.T) {
	t.Parallel()
	no := oracle.NewSample(200, nil, []byte(`{"success": false, "error": "Invalid API token."}`), nil)
	yes := oracle.NewSample(200, nil, []byte(`{"success": true, "customers": [{"id": 1, "name": "a"}]}`), nil)
	admin := &inventory.Endpoint{Method: "GET", Path: "/admin_list_tenants"}
	other := &inventory.Endpoint{Method: "GET", Path: "/list_customers_v1"}
	user := &identity.Identity{Name: "user"}
	boss := &identity.Identity{Name: "boss", Role: "admin"}
	stale := &identity.Identity{Name: "stale"}
	cal := func(v *oracle.Sample) *oracle.Calibration {
		return oracle.Calibrate([]*oracle.Sample{v}, []*oracle.Sample{no})
	}
	s := &Scan{
		opt: Options{Identities: []*identity.Identity{user, boss, stale}},
		eps: []*inventory.Endpoint{admin, other},
		cals: map[key]*oracle.Calibration{
			{admin.Key(), "user"}: cal(no), {admin.Key(), "boss"}: cal(yes), {admin.Key(), "stale"}: cal(no),
			{other.Key(), "user"}: cal(no), {other.Key(), "boss"}: cal(no), {other.Key(), "stale"}: cal(no),
		},
		valid: map[key]*oracle.Sample{
			{admin.Key(), "user"}: no, {admin.Key(), "boss"}: yes, {admin.Key(), "stale"}: no,
			{other.Key(), "user"}: no, {other.Key(), "boss"}: no, {other.Key(), "stale"}: no,
		},
		anon:  map[string]*oracle.Sample{admin.Key(): no, other.Key(): no},
		kinds: map[string]string{"user": "key", "boss": "key", "stale": "key"},
	}
	if err := s.preflight(s.eps, false); err != nil {
		t.Fatalf("preflight failed with identities that authenticate: %v", err)
	}
	if len(s.failed) != 0 {
		t.Errorf("set aside %+v: a user refused only where the admin gets in is a matrix fact", s.failed)
	}
	// Now the user gets in on the other endpoint, where stale (a peer) is
	// still refused: stale's credential is what fails.
	s.valid[key{other.Key(), "user"}] = yes
	s.cals[key{other.Key(), "user"}] = cal(yes)
	s.preflight(s.eps, false)
	if len(s.failed) != 1 || s.failed[0].Identity != "stale" {
		t.Errorf("set aside %+v, want only stale", s.failed)
	}
	if !s.cals[key{admin.Key(), "boss"}].Gated {
		t.Fatal("a 200 error envelope was not recognised as a refusal")
	}
	dead := &Scan{opt: Options{Identities: []*identity.Identity{stale}}, eps: s.eps, cals: s.cals, valid: s.valid, anon: s.anon, kinds: s.kinds}
	if err := dead.preflight(dead.eps, false); err == nil {
		t.Error("preflight passed although no identity authenticates anywhere")
	}
}

// TestPreflightIgnoresPlainRedirects: a web page that redirects everyone
// (GET / to /posts) is no refusal of an API key: an identity answered so
// is not set aside, and preflight does not stop the scan.
func TestPreflightIgnoresPlainRedirects(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Set("Location", "/posts")
	moved := oracle.NewSample(302, h, []byte(`<a href="/posts">/posts</a>`), nil)
	ep := &inventory.Endpoint{Method: "GET", Path: "/"}
	id := &identity.Identity{Name: "elliot"}
	s := &Scan{
		opt:   Options{Identities: []*identity.Identity{id}},
		eps:   []*inventory.Endpoint{ep},
		cals:  map[key]*oracle.Calibration{{ep.Key(), "elliot"}: oracle.Calibrate([]*oracle.Sample{moved}, []*oracle.Sample{moved})},
		valid: map[key]*oracle.Sample{{ep.Key(), "elliot"}: moved},
		anon:  map[string]*oracle.Sample{ep.Key(): moved},
		kinds: map[string]string{"elliot": "key"},
		creds: map[string]identity.Creds{},
	}
	if err := s.preflight(s.eps, false); err != nil || len(s.failed) != 0 {
		t.Errorf("a plain redirect condemned the identity: %v, %+v", err, s.failed)
	}
}
