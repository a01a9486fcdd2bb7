package engine

import (
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
// route the code guards with JWTs only does not fail the preflight; refused
// on a route that checks API keys, it does.
func TestPreflightJudgesOnRoutesOfItsKind(t *testing.T) {
	t.Parallel()
	denied := oracle.NewSample(401, nil, []byte(`{"error":"unauthorized"}`), nil)
	for _, c := range []struct {
		expects []string
		fail    bool
	}{{[]string{"jwt"}, false}, {[]string{"api-key"}, true}, {nil, true}} {
		ep := &inventory.Endpoint{Method: "GET", Path: "/admin", Expects: c.expects}
		id := &identity.Identity{Name: "partner"}
		s := &Scan{
			opt:   Options{Identities: []*identity.Identity{id}},
			eps:   []*inventory.Endpoint{ep},
			cals:  map[key]*oracle.Calibration{{ep.Key(), "partner"}: {Accepted: []*oracle.Sample{denied}}},
			anon:  map[string]*oracle.Sample{ep.Key(): denied},
			kinds: map[string]string{"partner": "key"},
		}
		if err := s.preflight(); (err != nil) != c.fail {
			t.Errorf("expects %v: preflight error %v, want failure %v", c.expects, err, c.fail)
		}
	}
}
