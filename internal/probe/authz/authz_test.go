package authz

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

func endpoint(t *testing.T, line string, sources ...string) *inventory.Endpoint {
	t.Helper()
	ep, err := inventory.ParseEndpoint(line)
	if err != nil {
		t.Fatal(err)
	}
	ep.Sources = sources
	return &ep
}

func TestHarvest(t *testing.T) {
	ep := endpoint(t, "GET /api/orders/{order_id}")
	ip, ok := lastPathParam(ep)
	if !ok || ip.resource != "orders" || ip.collection != "/api/orders" {
		t.Fatalf("%+v %v", ip, ok)
	}
	var ids []string
	// From the collection: ids of the listed objects; not the user's id.
	ip.harvest([]byte(`{"orders":[{"id":1001,"user_id":1},{"id":1002,"user_id":1}],"count":2}`), true, &ids)
	// Elsewhere: only inside a container named after the resource; ids of
	// orders referenced by other resources prove no ownership.
	ip.harvest([]byte(`{"shipments":[{"order_id":"1005","id":7}],"users":[{"id":3}],"orderId":1006,"recent_orders":[{"id":1}],"order":{"order_id":"1003","total":1.5},"orders":{"items":[]}}`), false, &ids)
	ip.harvest([]byte(`{"orders":[{"orderId":1004}]}`), false, &ids)
	want := []string{"1001", "1002", "1003", "1004"}
	slices.Sort(ids)
	if !slices.Equal(ids, want) {
		t.Errorf("harvested %v, want %v", ids, want)
	}
	// A declared integer parameter takes no words.
	typed, _ := lastPathParam(endpoint(t, "GET /api/orders/{order_id}", inventory.SourceSpec))
	var none []string
	typed.harvest([]byte(`{"orders":[{"id":"abc"}]}`), true, &none)
	if len(none) != 0 {
		t.Errorf("typed integer harvested %v", none)
	}
	if _, ok := lastPathParam(endpoint(t, "GET /api/orders")); ok {
		t.Error("parameter found in a path without one")
	}
}

func TestPolicyMatch(t *testing.T) {
	ep := endpoint(t, "GET /api/admin/users")
	for pat, want := range map[string]bool{
		"/api/admin/*": true, "/api/admin/users": true, "GET /api/admin/*": true, "POST /api/admin/*": false,
		"/api/*/users": true, "*": true, "/api/adm": false, "/api/admin/users/*": true, "/api/admin/u[s]ers": false,
	} {
		if got := policyMatch(pat, ep); got != want {
			t.Errorf("policyMatch(%q) = %v, want %v", pat, got, want)
		}
	}
	allowed, ok := policyFor(map[string][]string{"/api/admin/*": {"ops"}, "/api/other/*": {"x"}}, ep)
	if !ok || !allowed["ops"] || allowed["x"] {
		t.Errorf("policyFor: %v %v", allowed, ok)
	}
}

func sample(status int, body string) *oracle.Sample {
	return oracle.NewSample(status, nil, []byte(body), nil)
}

// gatedRow: anonymous refused, alice in.
func gatedRow(ep *inventory.Endpoint) row {
	valid := sample(200, `{"items":[1,2]}`)
	ref := oracle.Calibrate([]*oracle.Sample{valid}, []*oracle.Sample{sample(401, `{"error":"no"}`)})
	return row{ep: ep, cells: []probe.Cell{
		{Key: "anonymous", Variant: slots.CellAnonymous, Outcome: &probe.Outcome{Sample: sample(401, `{"error":"no"}`), Verdict: oracle.Rejected}},
		{Key: "alice", Identity: "alice", Variant: slots.CellIdentity, Creds: identity.Creds{Bearer: "t"}, Ref: ref, Outcome: &probe.Outcome{Sample: valid, Verdict: oracle.Accepted}},
	}}
}

func openRow(ep *inventory.Endpoint) row {
	return row{ep: ep, cells: []probe.Cell{{Key: "anonymous", Variant: slots.CellAnonymous, Outcome: &probe.Outcome{Sample: sample(200, `{"x":1}`), Verdict: oracle.Accepted}}}}
}

func TestWhyProtected(t *testing.T) {
	open := endpoint(t, "GET /api/partner/invoices")
	a, b := endpoint(t, "GET /api/partner/products"), endpoint(t, "GET /api/partner/shipments")
	rows := []row{openRow(open), gatedRow(a), gatedRow(b)}
	if why, ctl := whyProtected(open, rows); why == "" || ctl == nil {
		t.Error("open route among gated siblings not flagged")
	}
	// One gated sibling is not enough; an open sibling means the prefix is mixed.
	if why, _ := whyProtected(open, rows[:2]); why != "" {
		t.Errorf("flagged with one sibling: %s", why)
	}
	other := endpoint(t, "GET /api/partner/catalogue")
	if why, _ := whyProtected(open, append(rows, openRow(other))); why != "" {
		t.Errorf("flagged beside an open sibling: %s", why)
	}
	// Conventionally public names and declared-public routes never are.
	health := endpoint(t, "GET /api/partner/health")
	if why, _ := whyProtected(health, append(rows, openRow(health))); why != "" {
		t.Errorf("health flagged: %s", why)
	}
	declared := endpoint(t, "GET /api/partner/invoices")
	declared.Security = [][]string{}
	if why, _ := whyProtected(declared, rows); why != "" {
		t.Errorf("declared public flagged: %s", why)
	}
	declared.Security = [][]string{{"partnerKey"}}
	if why, _ := whyProtected(declared, rows[:2]); why != "the spec requires partnerKey" {
		t.Errorf("declared security: %q", why)
	}
	inherited := endpoint(t, "GET /api/partner/health")
	inherited.Security = [][]string{{"partnerKey"}}
	if why, _ := whyProtected(inherited, append(rows, openRow(inherited))); why != "" {
		t.Errorf("health inheriting the global security flagged: %s", why)
	}
	admin := endpoint(t, "GET /admin/export")
	if why, _ := whyProtected(admin, []row{openRow(admin), gatedRow(a)}); why != "it is an administrative path" {
		t.Errorf("admin path: %q", why)
	}
	// Without any gated endpoint there is no control, so no finding.
	if why, _ := whyProtected(admin, []row{openRow(admin)}); why != "" {
		t.Errorf("flagged without a control: %q", why)
	}
}

func TestServesData(t *testing.T) {
	for body, want := range map[string]bool{`{"a":1}`: true, `[]`: false, `{}`: false, `[1]`: true, `ok`: false, `<html><body>a long enough page of text</body></html>`: true, ``: false} {
		if got := servesData(sample(200, body)); got != want {
			t.Errorf("servesData(%q) = %v", body, got)
		}
	}
}

// TestTampers: a method answer counts as the view's only when it carries
// the view's content (HEAD: its announced length; OPTIONS: its body).
func TestTampers(t *testing.T) {
	valid := sample(200, `{"items":[1,2,3],"owner":"alice"}`)
	ref := oracle.Calibrate([]*oracle.Sample{valid}, []*oracle.Sample{sample(401, `{"error":"no"}`)})
	head := func(h http.Header) *oracle.Sample { return oracle.NewSample(200, h, nil, nil) }
	n := strconv.Itoa(len(valid.Body))
	cases := []struct {
		tamper int
		s      *oracle.Sample
		want   bool
	}{
		{0, head(http.Header{"Content-Length": {n}}), true},
		{0, head(nil), false},
		{0, head(http.Header{"Content-Length": {"12"}}), false},
		{0, oracle.NewSample(401, http.Header{"Content-Length": {n}}, nil, nil), false},
		{1, sample(200, ``), false}, // automatic OPTIONS
		{1, sample(200, `{"items":[4],"owner":"alice"}`), true},
		{2, sample(200, `{"items":[1,2,3],"owner":"alice"}`), true},
		{2, sample(401, `{"error":"no"}`), false},
	}
	for _, c := range cases {
		if got := tampers[c.tamper].served(c.s, valid, ref); got != c.want {
			t.Errorf("%s on %d %q %v: %v, want %v", tampers[c.tamper].name, c.s.Status, c.s.Body, c.s.Header, got, c.want)
		}
	}
}

// TestMethodGaps: GET refuses bob and serves alice, POST serves bob: a gap
// on POST for bob. Without the refusal, or with POST open to anonymous
// callers, there is none.
func TestMethodGaps(t *testing.T) {
	valid := sample(200, `{"items":[1,2]}`)
	ref := oracle.Calibrate([]*oracle.Sample{valid}, []*oracle.Sample{sample(401, `{"error":"no"}`)})
	anon := probe.Cell{Key: "anonymous", Variant: slots.CellAnonymous, Outcome: &probe.Outcome{Sample: sample(401, `{"error":"no"}`), Verdict: oracle.Rejected}}
	cell := func(id string, s *oracle.Sample, v oracle.Verdict) probe.Cell {
		return probe.Cell{Key: id, Identity: id, Variant: slots.CellIdentity, Ref: ref, Outcome: &probe.Outcome{Sample: s, Verdict: v}}
	}
	get := row{ep: endpoint(t, "GET /api/reports"), cells: []probe.Cell{anon,
		cell("alice", valid, oracle.Accepted), cell("bob", sample(403, `{"error":"admins only"}`), oracle.Rejected)}}
	post := row{ep: endpoint(t, "POST /api/reports"), cells: []probe.Cell{anon,
		cell("alice", valid, oracle.Accepted), cell("bob", sample(201, `{"id":3}`), oracle.Accepted)}}
	gs := methodGaps([]row{get, post})
	if len(gs) != 1 || gs[0].open.ep.Method != "POST" || gs[0].who != "bob" || gs[0].by != "alice" {
		t.Fatalf("gaps = %+v", gs)
	}
	bobIn := row{ep: get.ep, cells: []probe.Cell{anon, cell("alice", valid, oracle.Accepted), cell("bob", valid, oracle.Accepted)}}
	if gs := methodGaps([]row{bobIn, post}); len(gs) != 0 {
		t.Errorf("no refusal, yet gaps %+v", gs)
	}
	openPost := row{ep: post.ep, cells: []probe.Cell{{Key: "anonymous", Variant: slots.CellAnonymous, Outcome: &probe.Outcome{Sample: sample(201, `{}`), Verdict: oracle.Accepted}},
		cell("bob", sample(201, `{"id":3}`), oracle.Accepted)}}
	if gs := methodGaps([]row{get, openPost}); len(gs) != 0 {
		t.Errorf("POST open to anonymous callers (another rule's business), yet gaps %+v", gs)
	}
	if gs := methodGaps([]row{get}); len(gs) != 0 {
		t.Errorf("one method, yet gaps %+v", gs)
	}
}

// TestHarvestRPC: an RPC-style path names its resource after its verb and
// version, and the resource's containers in any answer are its listings.
func TestHarvestRPC(t *testing.T) {
	for seg, want := range map[string]string{
		"get_customer_v1": "customer", "getCustomer": "Customer", "list-orders": "orders",
		"orders": "orders", "listings": "listings", "getaway": "getaway", "v2": "v2", "customer_v2": "customer",
	} {
		if got := resourceOf(seg); got != want {
			t.Errorf("resourceOf(%q) = %q, want %q", seg, got, want)
		}
	}
	ip, ok := lastPathParam(endpoint(t, "GET /get_customer_v1/{cid}", inventory.SourceSpec))
	if !ok || ip.resource != "customer" {
		t.Fatalf("%+v %v", ip, ok)
	}
	var ids []string
	ip.harvest([]byte(`{"success":true,"customers":[{"id":101,"tenant":"acme"},{"id":102}],"transfers":[{"id":501,"customer_id":101}]}`), false, &ids)
	if !slices.Equal(ids, []string{"101", "102"}) {
		t.Errorf("harvested %v, want [101 102]", ids)
	}
}

// A list that refuses one configured identity is gated on a privilege: the
// identity it serves is entitled to every object, so collection exposure is
// not judged there (an admin's user list, told apart by the matrix alone).
func TestRefusedMemberGatesCollection(t *testing.T) {
	anon := probe.Cell{Key: "anonymous", Variant: slots.CellAnonymous, Outcome: &probe.Outcome{Sample: sample(401, `{"msg":"missing"}`), Verdict: oracle.Rejected}}
	cell := func(id string, status int, v oracle.Verdict) probe.Cell {
		return probe.Cell{Key: id, Identity: id, Variant: slots.CellIdentity, Outcome: &probe.Outcome{Sample: sample(status, `{"users":[]}`), Verdict: v}}
	}
	ep := endpoint(t, "GET /api/staff/users")
	gated := row{ep: ep, cells: []probe.Cell{anon, cell("root", 200, oracle.Accepted), cell("john", 403, oracle.Rejected)}}
	if got := refusedMember(gated); got != "john" {
		t.Fatalf("refusedMember = %q, want john (refused a list another identity is served)", got)
	}
	open := row{ep: ep, cells: []probe.Cell{anon, cell("root", 200, oracle.Accepted), cell("john", 200, oracle.Accepted)}}
	if got := refusedMember(open); got != "" {
		t.Fatalf("refusedMember = %q on a list every identity is served, want none", got)
	}
}
