package reqbody

import (
	"encoding/json"
	"strings"
	"testing"
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
		{"sentence", `{}`, `{"errors": ["Title is required."]}`, []string{"+title"}, "title"},
		{"jsonschema", `{"title": "t"}`, `{"error": "'body' is a required property"}`, []string{"+body"}, "body"},
		{"missing field", `{}`, `{"message": "Missing required field: userName"}`, []string{"+userName"}, "userName"},
		{"sqlite not null", `{}`, `{"error": "NOT NULL constraint failed: expenses.description", "traceback": "sqlite3.IntegrityError: NOT NULL constraint failed: expenses.description"}`, []string{"+description"}, "description"},
		{"postgres not null", `{"title": "t"}`, `{"error": "null value in column \"amount_cents\" of relation \"expenses\" violates not-null constraint"}`, []string{"+amount_cents"}, "amount_cents"},
		{"mysql no default", `{"title": "t"}`, `{"error": "(1364, \"Field 'body' doesn't have a default value\")"}`, []string{"+body"}, "body"},
		{"nothing", `{"title": "t"}`, `{"error": "server exploded"}`, nil, "title"},
		{"no field named", `{"title": "t"}`, `{"error": "Request is invalid."}`, nil, "title"},
		{"already there", `{"title": "t"}`, `{"errors": {"title": ["is too short"]}}`, nil, "title"},
	}
	for _, c := range cases {
		var body map[string]any
		if err := json.Unmarshal([]byte(c.body), &body); err != nil {
			t.Fatal(err)
		}
		out, changed, ok := Learn(body, []byte(c.answer))
		if strings.Join(changed, ",") != strings.Join(c.want, ",") || ok != (len(c.want) > 0) {
			t.Errorf("%s: changed %v (%v), want %v", c.name, changed, ok, c.want)
		}
		if _, has := Payload(out)[c.field]; !has {
			t.Errorf("%s: payload %v lacks %q", c.name, out, c.field)
		}
		if Envelope(body) != Envelope(out) {
			t.Errorf("%s: envelope %q became %q", c.name, Envelope(body), Envelope(out))
		}
	}
}

func TestEnvelopeHelpers(t *testing.T) {
	body := map[string]any{"article": map[string]any{"title": "a", "body": "b"}}
	marked := WithField(body, "title", "x")
	if Payload(marked)["title"] != "x" || Payload(body)["title"] != "a" {
		t.Errorf("withField changed the original or missed the envelope: %v %v", body, marked)
	}
	f := Fresh(map[string]any{"user": map[string]any{"email": "a@b.c", "username": "u", "bio": "same"}})
	p := Payload(f)
	if p["email"] == "a@b.c" || !strings.HasSuffix(p["email"].(string), "@b.c") || p["username"] == "u" || p["bio"] != "same" {
		t.Errorf("fresh: %v", p)
	}
	// Plural guesses are hints: a wrong one is only tried after the flat
	// body was refused.
	for in, want := range map[string]string{"articles": "article", "categories": "category", "boxes": "box", "address": "", "data": ""} {
		if got := Singular(in); got != want {
			t.Errorf("Singular(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLearnJSONSchemaAnswer(t *testing.T) {
	answer := []byte(`{"error": "invalid schema", "schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}}`)
	out, changed, ok := Learn(map[string]any{}, answer)
	if !ok {
		t.Fatal("a JSON Schema in the answer names the required fields")
	}
	if _, has := out["text"]; !has {
		t.Errorf("body = %v, want text added", out)
	}
	if _, has := out["error"]; has {
		t.Errorf("the answer's error key is no field: %v (%v)", out, changed)
	}
}
