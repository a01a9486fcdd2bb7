package matrix

import (
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

func cell(key, id, variant string, status int, v oracle.Verdict, creds identity.Creds) probe.Cell {
	return probe.Cell{Key: key, Identity: id, Variant: variant, Creds: creds.Clone(),
		Outcome: &probe.Outcome{Sample: oracle.NewSample(status, nil, nil, nil), Verdict: v}}
}

func TestInferPolicy(t *testing.T) {
	jwtC := identity.Creds{Bearer: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"}
	keyC := identity.Creds{Headers: map[string]string{"X-API-Key": "k"}}
	both := slots.Combine(jwtC.Clone(), keyC)
	kinds := map[string][]string{"alice": {slots.JWT}, "bob": {slots.JWT}, "partner": {slots.Key}, "carol": {slots.JWT, slots.Key}}
	anonNo := cell("anonymous", "", slots.CellAnonymous, 401, oracle.Rejected, identity.Creds{})
	acc, rej := oracle.Accepted, oracle.Rejected
	cases := []struct {
		name  string
		cells []probe.Cell
		want  string
	}{
		{"public", []probe.Cell{cell("anonymous", "", slots.CellAnonymous, 200, acc, identity.Creds{}), cell("alice", "alice", slots.CellIdentity, 200, acc, jwtC)}, PolicyPublic},
		{"jwt", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 200, acc, jwtC), cell("partner", "partner", slots.CellIdentity, 401, rej, keyC)}, PolicyJWT},
		{"api-key", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 401, rej, jwtC), cell("partner", "partner", slots.CellIdentity, 200, acc, keyC)}, PolicyKey},
		{"jwt-or-key", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 200, acc, jwtC), cell("partner", "partner", slots.CellIdentity, 200, acc, keyC)}, PolicyJWTOrKey},
		{"role-restricted", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 200, acc, jwtC), cell("bob", "bob", slots.CellIdentity, 403, rej, jwtC)}, PolicyRoleRestricted},
		{"jwt-and-key, two identities", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 401, rej, jwtC), cell("partner", "partner", slots.CellIdentity, 401, rej, keyC),
			cell("jwt+key", "alice", slots.CellCombined, 200, acc, both)}, PolicyJWTAndKey},
		{"jwt-and-key, one identity", []probe.Cell{anonNo, cell("carol", "carol", slots.CellIdentity, 200, acc, both),
			cell("carol:jwt-only", "carol", slots.CellOnly, 401, rej, jwtC), cell("carol:key-only", "carol", slots.CellOnly, 401, rej, keyC)}, PolicyJWTAndKey},
		{"either credential of one identity", []probe.Cell{anonNo, cell("carol", "carol", slots.CellIdentity, 200, acc, both),
			cell("carol:jwt-only", "carol", slots.CellOnly, 200, acc, jwtC), cell("carol:key-only", "carol", slots.CellOnly, 200, acc, keyC)}, PolicyJWTOrKey},
		{"nobody in", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 401, rej, jwtC)}, PolicyUnknown},
		// Variants that get in do not change what the endpoint is meant to take.
		{"garbage in", []probe.Cell{anonNo, cell("alice", "alice", slots.CellIdentity, 200, acc, jwtC), cell("garbage-bearer", "", slots.CellGarbage, 200, acc, identity.Creds{Bearer: "g"})}, PolicyJWT},
	}
	for _, c := range cases {
		if got := InferPolicy(c.cells, kinds); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
