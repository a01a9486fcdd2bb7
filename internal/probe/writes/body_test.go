package writes

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
)

// TestLearn: the validation answers of the common Flask stacks name the
// fields to add (or drop), inside the body's envelope.
func TestLearn(t *testing.T) {
	cases := []struct {
		name, body, answer string
		want               []string // changes
		field              string   // a field the new payload must hold
	}{
		{"conduit", `{"article": {"title": "t"}}`, `{"errors": {"body": ["can't be blank"], "description": ["can't be blank"]}}`, []string{"+body", "+description"}, "description"},
		{"webargs", `{"title": "t"}`, `{"errors": {"json": {"content": ["Missing data for required field."]}}}`, []string{"+content"}, "content"},
		{"reqparse", `{}`, `{"message": {"email": "Missing required parameter in the JSON body"}}`, []string{"+email"}, "email"},
		{"pydantic", `{"title": "t"}`, `{"detail": [{"loc": ["body", "quantity"], "msg": "field required", "type": "value_error.missing"}]}`, []string{"+quantity"}, "quantity"},
		{"unknown", `{"title": "t", "junk": 1}`, `{"errors": {"json": {"junk": ["Unknown field."]}}}`, []string{"-junk"}, "title"},
		{"nothing", `{"title": "t"}`, `{"error": "server exploded"}`, nil, "title"},
		{"already there", `{"title": "t"}`, `{"errors": {"title": ["is too short"]}}`, nil, "title"},
	}
	for _, c := range cases {
		var body map[string]any
		if err := json.Unmarshal([]byte(c.body), &body); err != nil {
			t.Fatal(err)
		}
		out, changed, ok := learn(body, []byte(c.answer))
		if strings.Join(changed, ",") != strings.Join(c.want, ",") || ok != (len(c.want) > 0) {
			t.Errorf("%s: changed %v (%v), want %v", c.name, changed, ok, c.want)
		}
		if _, has := payload(out)[c.field]; !has {
			t.Errorf("%s: payload %v lacks %q", c.name, out, c.field)
		}
		if envelopeOf(body) != envelopeOf(out) {
			t.Errorf("%s: envelope %q became %q", c.name, envelopeOf(body), envelopeOf(out))
		}
	}
}

func TestEnvelopeHelpers(t *testing.T) {
	body := map[string]any{"article": map[string]any{"title": "a", "body": "b"}}
	marked := withField(body, "title", "x")
	if payload(marked)["title"] != "x" || payload(body)["title"] != "a" {
		t.Errorf("withField changed the original or missed the envelope: %v %v", body, marked)
	}
	if stringField(body) != "title" {
		t.Errorf("stringField %q", stringField(body))
	}
	f := fresh(map[string]any{"user": map[string]any{"email": "a@b.c", "username": "u", "bio": "same"}})
	p := payload(f)
	if p["email"] == "a@b.c" || !strings.HasSuffix(p["email"].(string), "@b.c") || p["username"] == "u" || p["bio"] != "same" {
		t.Errorf("fresh: %v", p)
	}
	// Plural guesses are hints: a wrong one is only tried after the flat
	// body was refused.
	for in, want := range map[string]string{"articles": "article", "categories": "category", "boxes": "box", "address": "", "data": ""} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
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
