package writes

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
)

func TestNewPlan(t *testing.T) {
	inv := &inventory.Inventory{Bodies: map[string]inventory.Body{
		"POST /api/notes": {Value: map[string]any{"title": "t"}, Generated: true, ReadOnly: map[string]any{"approved": true}},
	}}
	eps, err := inventory.ParseEndpoints([]string{
		"GET /api/notes", "POST /api/notes", "GET /api/notes/{id}", "PUT /api/notes/{id}", "DELETE /api/notes/{id}",
		"POST /api/orders", "DELETE /api/orders/{id}/items/{item}", "POST /api/auth/logout", "POST /api/login",
	}, inventory.SourceConfig)
	if err != nil {
		t.Fatal(err)
	}
	inv.Add(eps...)
	reserved := func(ep *inventory.Endpoint) bool {
		return ep.Path == "/api/auth/logout" || ep.Path == "/api/login"
	}
	pl := NewPlan(inv, map[string]any{"POST /api/orders": map[string]any{"sku": "x"}}, reserved)
	if len(pl.Targets) != 2 {
		t.Fatalf("targets %d, want notes and orders", len(pl.Targets))
	}
	notes := pl.Targets[0]
	if notes.Create.Path != "/api/notes" || notes.From != "schema" || notes.ReadOnly["approved"] != true {
		t.Errorf("notes target %+v", notes)
	}
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		if notes.Item[m] == nil || notes.StandardItem(m) == nil {
			t.Errorf("notes: no item %s", m)
		}
	}
	if !notes.Collection() {
		t.Error("notes is a REST collection")
	}
	if orders := pl.Targets[1]; orders.From != "config" || orders.Body["sku"] != "x" || len(orders.Item) != 0 {
		t.Errorf("orders target %+v", orders)
	}
	joined := strings.Join(pl.Skipped, "\n")
	if !strings.Contains(joined, "DELETE /api/orders/{id}/items/{item}") {
		t.Errorf("nested delete not reported as skipped: %v", pl.Skipped)
	}
	if strings.Contains(joined, "logout") || strings.Contains(joined, "/api/login") {
		t.Errorf("reserved endpoints listed as skipped writes: %v", pl.Skipped)
	}
}

func TestObjectID(t *testing.T) {
	cases := []struct {
		body, loc, want string
	}{
		{`{"id": 101, "title": "x"}`, "", "101"},
		{`{"note": {"id": "n-7"}}`, "", "n-7"},
		{`{"ok": true}`, "/api/notes/55", "55"},
		{`{"ok": true}`, "", ""},
	}
	for _, c := range cases {
		if got := objectID([]byte(c.body), c.loc, ""); got != c.want {
			t.Errorf("objectID(%s, %q) = %q, want %q", c.body, c.loc, got, c.want)
		}
	}
	if !itemOf("/api/notes", "/api/notes/{id}") || itemOf("/api/notes", "/api/notes/{id}/share") || itemOf("/api/notes", "/api/notes/archive") {
		t.Error("itemOf")
	}
	// An item path under the collection's name in the singular.
	if !itemOf("/api/users", "/api/user/{id}") || !itemOf("/categories/", "/category/{cid}") || itemOf("/api/users", "/api/user/{id}/avatar") || itemOf("/api/users", "/api/usr/{id}") {
		t.Error("itemOf in the singular")
	}
}

// TestPlanPairsRPC: writes that name their resource in an RPC path are
// paired with the create of the same resource (/add_item with
// /del_item/{id}), else with the API's one create that names none (/add
// with /update-price/{cafe_id}); others stay listed as skipped.
func TestPlanPairsRPC(t *testing.T) {
	for _, c := range []struct {
		eps    []string
		create string
		paired []string
		param  string
		skip   []string
	}{
		{[]string{"GET /all", "POST /add", "PATCH /update-price/{cafe_id}", "DELETE /report-closed/{cafe_id}"},
			"/add", []string{"DELETE /report-closed/{cafe_id}", "PATCH /update-price/{cafe_id}"}, "cafe_id", nil},
		{[]string{"POST /add_item", "DELETE /del_item/{id}", "DELETE /del_cart_item/{id}", "POST /add_to_cart/{username}", "POST /payment"},
			"/add_item", []string{"DELETE /del_item/{id}"}, "id", []string{"DELETE /del_cart_item/{id}", "POST /add_to_cart/{username}"}},
		// Two creates naming nothing: no pairing by guess.
		{[]string{"POST /add", "POST /new", "DELETE /remove/{cafe_id}"}, "/add", nil, "", []string{"DELETE /remove/{cafe_id}"}},
		// An action on the item (/products/{product_id}/label) names the
		// resource too; a nested collection's POST stays its own target.
		{[]string{"GET /api/products", "POST /api/products/add", "DELETE /api/products/{product_id}", "PUT /api/products/{product_id}/label"},
			"/api/products/add", []string{"DELETE /api/products/{product_id}", "PUT /api/products/{product_id}/label"}, "product_id", nil},
		// Orphans naming two resources: which one /add makes is unknown.
		{[]string{"POST /add", "PATCH /update-price/{cafe_id}", "DELETE /remove-user/{user_id}"}, "/add", nil, "", []string{"DELETE /remove-user/{user_id}", "PATCH /update-price/{cafe_id}"}},
	} {
		inv := &inventory.Inventory{}
		eps, err := inventory.ParseEndpoints(c.eps, inventory.SourceConfig)
		if err != nil {
			t.Fatal(err)
		}
		inv.Add(eps...)
		pl := NewPlan(inv, nil, func(*inventory.Endpoint) bool { return false })
		var tg *Target
		for _, x := range pl.Targets {
			if x.Create.Path == c.create {
				tg = x
			}
		}
		if tg == nil {
			t.Fatalf("%v: no target %s", c.eps, c.create)
		}
		// Paired RPC writes are no REST items: other checks (actions) may
		// send them on their own, and no item URL is built under the create.
		if tg.Collection() || tg.StandardItem("DELETE") != nil {
			t.Errorf("%v: %s taken for a REST collection", c.eps, c.create)
		}
		if got := sortedKeys(tg.rpc); strings.Join(got, "|") != strings.Join(c.paired, "|") || tg.Param != c.param {
			t.Errorf("%v: paired %q on {%s}, want %q on {%s}", c.eps, got, tg.Param, c.paired, c.param)
		}
		for _, s := range c.skip {
			if !strings.Contains(strings.Join(pl.Skipped, "\n"), s) {
				t.Errorf("%v: %s not listed as skipped: %q", c.eps, s, pl.Skipped)
			}
		}
		lines := strings.Join(pl.Lines("alice", "bob", "", func(*inventory.Endpoint) bool { return false }), "\n")
		for _, k := range c.paired {
			if !strings.Contains(lines, k+" is paired with POST "+c.create) {
				t.Errorf("%v: dry run does not say %s is paired:\n%s", c.eps, k, lines)
			}
		}
	}
}

// TestNamedPlan: a POST on a path ending in its only parameter, which the
// same path reads or deletes, is a target of its own (the client names the
// object); one the path neither reads nor deletes, or under another
// parameter, is not.
func TestNamedPlan(t *testing.T) {
	inv := &inventory.Inventory{}
	eps, err := inventory.ParseEndpoints([]string{
		"GET /items", "DELETE /items", "GET /items/{name}", "POST /items/{name}", "PUT /items/{name}", "DELETE /items/{name}",
		"POST /reset/{token}", "POST /a/{x}/b/{y}", "DELETE /a/{x}/b/{y}",
	}, inventory.SourceConfig)
	if err != nil {
		t.Fatal(err)
	}
	inv.Add(eps...)
	pl := NewPlan(inv, nil, func(*inventory.Endpoint) bool { return false })
	if len(pl.Targets) != 1 {
		t.Fatalf("targets %d, want POST /items/{name} only", len(pl.Targets))
	}
	tg := pl.Targets[0]
	if !tg.Named || tg.Param != "name" || tg.Undo != nil || tg.Item["GET"] == nil || tg.Item["PUT"] == nil || tg.Item["DELETE"] == nil || tg.Item["POST"] != nil {
		t.Errorf("named target %+v", tg)
	}
	joined := strings.Join(pl.Skipped, "\n")
	for _, want := range []string{"POST /reset/{token}", "POST /a/{x}/b/{y}", "DELETE /items:"} {
		if !strings.Contains(joined, want) {
			t.Errorf("%s not listed as skipped: %v", want, pl.Skipped)
		}
	}
}

// TestNamedNumbered: a named create whose path takes a number
// (/trip/<int:trip_id>) is numbered; one taking a string is not.
func TestNamedNumbered(t *testing.T) {
	num := &Target{Param: "trip_id", Create: &inventory.Endpoint{Method: "POST", Path: "/trip/{trip_id}",
		Params: []inventory.Param{{Name: "trip_id", In: "path", Type: "integer"}}}}
	str := &Target{Param: "name", Create: &inventory.Endpoint{Method: "POST", Path: "/items/{name}",
		Params: []inventory.Param{{Name: "name", In: "path", Type: "string"}}}}
	if !num.numbered() || str.numbered() {
		t.Errorf("numbered: int path %v, string path %v", num.numbered(), str.numbered())
	}
}
