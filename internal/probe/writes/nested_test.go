package writes

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// TestStringFieldInEnvelope: the field to mark is read inside the
// envelope, free text before a title (a slug may be made from it).
func TestStringFieldInEnvelope(t *testing.T) {
	if f := stringField(map[string]any{"article": map[string]any{"title": "a", "body": "b"}}); f != "body" {
		t.Errorf("stringField %q", f)
	}
	if f := stringField(map[string]any{"title": "a", "tags": []any{}}); f != "title" {
		t.Errorf("stringField %q", f)
	}
}

// TestNestedPlan: a collection under another's item is planned after its
// parent, with the path after the parent's item; an action with a DELETE
// on its own path is undone in the cleanup.
func TestNestedPlan(t *testing.T) {
	inv := &inventory.Inventory{}
	eps, err := inventory.ParseEndpoints([]string{
		"GET /api/articles", "POST /api/articles", "GET /api/articles/{slug}", "PUT /api/articles/{slug}", "DELETE /api/articles/{slug}",
		"POST /api/articles/{slug}/comments", "GET /api/articles/{slug}/comments", "DELETE /api/articles/{slug}/comments/{id}",
		"POST /api/articles/{slug}/favorite", "DELETE /api/articles/{slug}/favorite", "POST /api/orphans/{x}/y",
	}, inventory.SourceConfig)
	if err != nil {
		t.Fatal(err)
	}
	inv.Add(eps...)
	pl := NewPlan(inv, nil, func(*inventory.Endpoint) bool { return false })
	got := map[string]*Target{}
	var order []string
	for _, tg := range pl.Targets {
		got[tg.Create.Path] = tg
		order = append(order, tg.Create.Path)
	}
	if order[0] != "/api/articles" || len(order) != 3 {
		t.Fatalf("targets %v", order)
	}
	art, com, fav := got["/api/articles"], got["/api/articles/{slug}/comments"], got["/api/articles/{slug}/favorite"]
	if art.Param != "slug" || com == nil || com.Parent != art || com.Rest != "/comments" || com.Item["DELETE"] == nil || com.Param != "id" {
		t.Errorf("comments target %+v", com)
	}
	if fav == nil || fav.Parent != art || fav.Undo == nil || len(fav.Item) != 0 {
		t.Errorf("favorite target %+v", fav)
	}
	if !strings.Contains(strings.Join(pl.Skipped, "\n"), "POST /api/orphans/{x}/y") {
		t.Errorf("a nested POST without a parent collection is not listed as skipped: %v", pl.Skipped)
	}
	lines := strings.Join(pl.Lines("alice", "bob", "", func(*inventory.Endpoint) bool { return false }), "\n")
	for _, want := range []string{"under the object of POST /api/articles", "not run: mass assignment, anonymous writes and BOLA on POST /api/articles/{slug}/comments", "DELETE /api/articles/{slug}/favorite as alice: undone in the cleanup"} {
		if !strings.Contains(lines, want) {
			t.Errorf("dry run lacks %q:\n%s", want, lines)
		}
	}
}

// TestFormTarget: a target whose handler reads a form is written to as a
// form, from the source's body.
func TestFormTarget(t *testing.T) {
	inv := &inventory.Inventory{}
	eps, _ := inventory.ParseEndpoints([]string{"POST /posts/"}, inventory.SourceCode)
	inv.Add(eps...)
	pl := NewPlan(inv, nil, func(*inventory.Endpoint) bool { return false })
	pl.FromSource(map[string]probe.SourceBody{"POST /posts/": {Value: map[string]any{"title": "t", "n": int64(2)}, Where: "app.py:9", Form: true}})
	tg := pl.Targets[0]
	req := tg.request("POST", "http://x/posts/", tg.Body)
	if !tg.Form || req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || string(req.Body) != "n=2&title=t" {
		t.Errorf("form request %v %q (from %s)", req.Header, req.Body, tg.From)
	}
}

// TestNestedPlanOtherParamName: a nested collection whose path names the
// parent's id differently from the parent's item (Flask views name it as
// they like: /routes/{uid} beside /routes/{route_id}/points/) is still
// planned under that parent, with its own item; a path under no item is
// not.
func TestNestedPlanOtherParamName(t *testing.T) {
	inv := &inventory.Inventory{}
	eps, err := inventory.ParseEndpoints([]string{
		"POST /api/v1/routes/", "GET /api/v1/routes/{uid}", "DELETE /api/v1/routes/{uid}",
		"POST /api/v1/routes/{route_id}/points/", "DELETE /api/v1/routes/{route_id}/points/{place_id}",
		"POST /shops/{shop}/items", "GET /shop/{shop_id}",
	}, inventory.SourceConfig)
	if err != nil {
		t.Fatal(err)
	}
	inv.Add(eps...)
	pl := NewPlan(inv, nil, func(*inventory.Endpoint) bool { return false })
	var points *Target
	for _, tg := range pl.Targets {
		if tg.Create.Path == "/api/v1/routes/{route_id}/points/" {
			points = tg
		}
		if tg.Create.Path == "/shops/{shop}/items" {
			t.Errorf("/shops/{shop}/items planned under %v: no parent item is /shops/{...}", tg.Parent)
		}
	}
	if points == nil || points.Parent == nil || points.Parent.Create.Path != "/api/v1/routes/" || points.Rest != "/points/" {
		t.Fatalf("points target = %+v, want under POST /api/v1/routes/ with rest /points/", points)
	}
	if d := points.Item["DELETE"]; d == nil || d.Path != "/api/v1/routes/{route_id}/points/{place_id}" {
		t.Errorf("points item DELETE = %v", d)
	}
}
