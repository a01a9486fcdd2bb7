package authz

import (
	"context"
	"slices"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// matrixEnv answers the Env methods the role learning reads: identities,
// endpoints and their matrices.
type matrixEnv struct {
	probe.Env
	ids  []*identity.Identity
	eps  []*inventory.Endpoint
	rows map[string][]probe.Cell
}

func (e *matrixEnv) Identities() []*identity.Identity           { return e.ids }
func (e *matrixEnv) Endpoints() []*inventory.Endpoint           { return e.eps }
func (e *matrixEnv) Session() *identity.Session                 { return nil }
func (e *matrixEnv) Inventory() *inventory.Inventory            { return &inventory.Inventory{} }
func (e *matrixEnv) Matrix(ep *inventory.Endpoint) []probe.Cell { return e.rows[ep.Key()] }

// cells is a matrix row: anonymous refused, each named identity served
// (true) or refused (false).
func cells(served map[string]bool) []probe.Cell {
	no := sample(403, `{"error":"forbidden"}`)
	ref := oracle.Calibrate([]*oracle.Sample{sample(200, `{"ok":1}`)}, []*oracle.Sample{sample(401, `{"msg":"missing"}`)})
	out := []probe.Cell{{Key: "anonymous", Variant: slots.CellAnonymous, Outcome: &probe.Outcome{Sample: sample(401, `{"msg":"missing"}`), Verdict: oracle.Rejected}}}
	names := make([]string, 0, len(served))
	for n := range served {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		c := probe.Cell{Key: n, Identity: n, Variant: slots.CellIdentity, Creds: identity.Creds{Headers: map[string]string{"X-API-Key": n + "-key"}}, Ref: ref}
		if served[n] {
			c.Outcome = &probe.Outcome{Sample: sample(200, `{"rows":[{"n":1}]}`), Verdict: oracle.Accepted}
		} else {
			c.Outcome = &probe.Outcome{Sample: no, Verdict: oracle.Rejected}
		}
		out = append(out, c)
	}
	return out
}

// An API-key API without roles in the config: ops alone is served the
// report every other key is refused, so ops is privileged and takes no
// part in BOLA as a reader; on an endpoint all keys reach, all read.
// (The batch-5 control hardened-jwt showed the same with bearer tokens
// and GET /users: its admin's legitimate reads were taken for BOLA.)
func TestBOLALeavesOutIdentitiesOnlyTheyReach(t *testing.T) {
	stats := endpoint(t, "GET /internal/stats")
	items := endpoint(t, "GET /items")
	item := endpoint(t, "GET /items/{item_id}")
	perUser := endpoint(t, "GET /accounts/{acct}/summary")
	env := &matrixEnv{
		ids: []*identity.Identity{{Name: "ops"}, {Name: "kim"}, {Name: "lee"}},
		eps: []*inventory.Endpoint{stats, items, item, perUser},
		rows: map[string][]probe.Cell{
			stats.Key(): cells(map[string]bool{"ops": true, "kim": false, "lee": false}),
			items.Key(): cells(map[string]bool{"ops": true, "kim": true, "lee": true}),
			item.Key():  cells(map[string]bool{"ops": true, "kim": true, "lee": true}),
			// One identity served on a path with a parameter is its own
			// object, not a privilege.
			perUser.Key(): cells(map[string]bool{"ops": false, "kim": true, "lee": false}),
		},
	}
	admin := map[string]bool{}
	for name := range principal.Admins(context.Background(), env) {
		admin[name] = true
	}
	if !admin["ops"] || admin["kim"] || admin["lee"] {
		t.Fatalf("admins %v, want ops only", admin)
	}
	var names []string
	for _, rd := range bolaReaders(row{ep: item, cells: env.rows[item.Key()]}, admin) {
		names = append(names, rd.name)
	}
	if !slices.Equal(names, []string{"kim", "lee"}) {
		t.Errorf("BOLA readers %v, want kim and lee (ops reaches what only an admin does)", names)
	}

	// Two identities served where the third is refused: no role split is
	// shown (a shared team, a paid plan), no one is left out.
	env.rows[stats.Key()] = cells(map[string]bool{"ops": true, "kim": true, "lee": false})
	if a := principal.Admins(context.Background(), env); len(a) != 0 {
		t.Errorf("admins %v from an endpoint two identities reach", a)
	}
	// A role in the config is the answer: nothing is learned beside it.
	env.rows[stats.Key()] = cells(map[string]bool{"ops": true, "kim": false, "lee": false})
	env.ids[2].Role = "admin"
	if a := principal.Admins(context.Background(), env); len(a) != 1 || a["lee"] == "" {
		t.Errorf("admins %v, want the configured lee only", a)
	}
}

// A list only lead is served shows kim's user id (lead's friends):
// exclusive to lead's answers, yet kim's token says the id is kim's, so
// it is not one of lead's objects — kim reading /members/7 reads its own
// record. Before, the id went to lead and "kim read lead's member_id 7"
// was proven. (hardened-jwt, batch 5, showed it with an admin's user list:
// "alice read root's user_id 2", 2 being alice's own id.)
func TestOwnedIDsLeaveOthersOwnIDs(t *testing.T) {
	friends := endpoint(t, "GET /friends")
	member := endpoint(t, "GET /members/{member_id}")
	served := func(n, body string) probe.Cell {
		return probe.Cell{Key: n, Identity: n, Variant: slots.CellIdentity, Outcome: &probe.Outcome{Sample: sample(200, body), Verdict: oracle.Accepted}}
	}
	env := &matrixEnv{
		eps: []*inventory.Endpoint{friends, member},
		rows: map[string][]probe.Cell{friends.Key(): {
			served("lead", `{"members":[{"id":7,"name":"Kim"},{"id":9,"name":"Ola"}]}`),
			served("kim", `{"members":[]}`),
		}},
	}
	lead, kim := principal.NewSelf("lead"), principal.NewSelf("kim")
	lead.Add("3", "token claim sub")
	kim.Add("7", "token claim sub")
	ip, _ := lastPathParam(member)
	owned := ownedIDs(&probe.Pass{Env: env}, ip, []reader{{name: "lead"}, {name: "kim"}}, []*principal.Self{lead, kim})
	if slices.Contains(owned["lead"], "7") {
		t.Errorf("lead owns %v: 7 is kim's own id", owned["lead"])
	}
	if !slices.Contains(owned["lead"], "9") || !slices.Contains(owned["lead"], "3") {
		t.Errorf("lead owns %v, want its own 3 and the exclusive 9", owned["lead"])
	}
	if !slices.Contains(owned["kim"], "7") {
		t.Errorf("kim owns %v, want its own 7", owned["kim"])
	}
}
