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
		// A message asking for a type: the field is added with one, or
		// sent again with one (hand-written checks, marshmallow, pydantic).
		{"must be, absent", `{}`, `{"error": "description must be a non-empty string"}`, []string{"+description"}, "description"},
		{"must be, wrong type", `{"description": "d", "amount_cents": "authprobe-1"}`, `{"error": "amount_cents must be an integer"}`, []string{"~amount_cents"}, "amount_cents"},
		{"marshmallow type", `{"qty": "x"}`, `{"errors": {"json": {"qty": ["Not a valid integer."]}}}`, []string{"~qty"}, "qty"},
		{"pydantic type", `{"qty": "x"}`, `{"detail": [{"loc": ["body", "qty"], "msg": "Input should be a valid integer, unable to parse string as an integer", "type": "int_parsing"}]}`, []string{"~qty"}, "qty"},
		{"right type already", `{"qty": 3}`, `{"error": "qty must be an integer"}`, nil, "qty"},
		{"not a field", `{"title": "t"}`, `{"error": "Input should be a valid dictionary"}`, nil, "title"},
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

// TestLearnTypes: the value given for a type a message asks for has it.
func TestLearnTypes(t *testing.T) {
	body := map[string]any{"amount_cents": "x", "ok": "x", "tags": "x"}
	out, _, _ := Learn(body, []byte(`{"errors": {"amount_cents": "must be an integer", "ok": "must be a boolean", "tags": "expected a list"}}`))
	p := Payload(out)
	if _, ok := p["amount_cents"].(int64); !ok {
		t.Errorf("amount_cents %T", p["amount_cents"])
	}
	if p["ok"] != true {
		t.Errorf("ok %v", p["ok"])
	}
	if _, ok := p["tags"].([]any); !ok {
		t.Errorf("tags %T", p["tags"])
	}
}

// TestLearnServerError: a database error an API answers with names the
// column a NOT NULL constraint wants, or one the table does not have;
// other server errors, and the text around them, name nothing.
func TestLearnServerError(t *testing.T) {
	cases := []struct {
		name, body, answer string
		want               []string
	}{
		{"sqlite not null", `{}`, `{"error": "NOT NULL constraint failed: expenses.description", "traceback": "Traceback ... field missing"}`, []string{"+description"}},
		{"sqlite unknown", `{"description": "d", "junk": 1}`, `{"error": "table expenses has no column named junk"}`, []string{"-junk"}},
		{"postgres", `{"article": {"title": "t"}}`, `<pre>psycopg2.errors.NotNullViolation: null value in column "body" of relation "articles" violates not-null constraint</pre>`, []string{"+body"}},
		{"mysql", `{}`, `Column 'price' cannot be null`, []string{"+price"}},
		{"id is the server's", `{}`, `NOT NULL constraint failed: items.id`, nil},
		{"other", `{"title": "t"}`, `{"error": "division by zero", "traceback": "missing field required invalid"}`, nil},
	}
	for _, c := range cases {
		var body map[string]any
		if err := json.Unmarshal([]byte(c.body), &body); err != nil {
			t.Fatal(err)
		}
		out, changed, ok := LearnServerError(body, []byte(c.answer))
		if strings.Join(changed, ",") != strings.Join(c.want, ",") || ok != (len(c.want) > 0) {
			t.Errorf("%s: changed %v (%v), want %v", c.name, changed, ok, c.want)
		}
		if Envelope(body) != Envelope(out) {
			t.Errorf("%s: envelope %q became %q", c.name, Envelope(body), Envelope(out))
		}
	}
}

// TestFreshNames: the object's own name gets a fresh value (found again in
// a listing by it); a person's first or last name does not.
func TestFreshNames(t *testing.T) {
	out := Payload(Fresh(map[string]any{"itemname": "fruit", "product_name": "p", "first_name": "Ann", "lastName": "Lee", "price": "1"}))
	for _, k := range []string{"itemname", "product_name"} {
		if s, _ := out[k].(string); !strings.HasPrefix(s, map[string]string{"itemname": "fruit-", "product_name": "p-"}[k]) {
			t.Errorf("%s = %v", k, out[k])
		}
	}
	for k, v := range map[string]string{"first_name": "Ann", "lastName": "Lee", "price": "1"} {
		if out[k] != v {
			t.Errorf("%s = %v, want %q", k, out[k], v)
		}
	}
}

// TestLearnBounds: an answer stating a bound the value missed has the
// field sent again meeting it, whichever stack words it: pydantic v1 (as
// FastAPI on Debian answers), pydantic v2, marshmallow.
func TestLearnBounds(t *testing.T) {
	cases := []struct {
		name, body, answer, want string
	}{
		{"pydantic v1 gt", `{"age": 1, "zip": "z"}`, `{"detail":[{"loc":["body","age"],"msg":"ensure this value is greater than 1","type":"value_error.number.not_gt","ctx":{"limit_value":1}}]}`, `{"age":2,"zip":"z"}`},
		{"pydantic v1 min length", `{"zip": "z"}`, `{"detail":[{"loc":["body","zip"],"msg":"ensure this value has at least 5 characters","type":"value_error.any_str.min_length","ctx":{"limit_value":5}}]}`, `{"zip":"zxxxx"}`},
		{"pydantic v2 ge", `{"age": 1}`, `{"detail":[{"type":"greater_than_equal","loc":["body","age"],"msg":"Input should be greater than or equal to 18","input":1,"ctx":{"ge":18}}]}`, `{"age":18}`},
		{"pydantic v2 list", `{"tags": ["a"]}`, `{"detail":[{"type":"too_short","loc":["body","tags"],"msg":"List should have at least 2 items after validation, not 1","input":["a"],"ctx":{"field_type":"List","min_length":2,"actual_length":1}}]}`, `{"tags":["a","a"]}`},
		{"pydantic v2 float gt", `{"price": 0.5}`, `{"detail":[{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":0.5,"ctx":{"gt":0}}]}`, ``},
		{"marshmallow range", `{"order": {"qty": 0}}`, `{"errors": {"json": {"qty": ["Must be greater than or equal to 1 and less than or equal to 10."]}}}`, `{"order":{"qty":1}}`},
		{"a date bound", `{"starts": "2019-05-01"}`, `{"errors": {"json": {"starts": ["Must be greater than 2020-01-01."]}}}`, ``},
		{"marshmallow length", `{"code": "ab"}`, `{"errors": {"json": {"code": ["Shorter than minimum length 4."]}}}`, `{"code":"abxx"}`},
	}
	for _, c := range cases {
		var body map[string]any
		if err := json.Unmarshal([]byte(c.body), &body); err != nil {
			t.Fatal(err)
		}
		out, changed, ok := Learn(body, []byte(c.answer))
		got, _ := json.Marshal(out)
		switch c.name {
		case "pydantic v2 float gt", "a date bound":
			// 0.5 > 0 already: nothing to learn.
			if ok {
				t.Errorf("%s: learnt %v from a bound the value meets: %s", c.name, changed, got)
			}
			continue
		}
		if !ok || string(got) != c.want {
			t.Errorf("%s: %s (%v, %v), want %s", c.name, got, changed, ok, c.want)
		}
	}
}

// TestLearnFieldLists: a sentence that lists the fields it wants names
// each of them (microblog's "must include username, email and password
// fields", alx's "missing email or password", a list before "are
// required"); a password policy's list of character classes names none.
func TestLearnFieldLists(t *testing.T) {
	cases := []struct {
		name, body, answer string
		want               []string
	}{
		{"must include", `{"username": "u"}`, `{"error":"Bad Request","message":"must include username, email and password fields"}`, []string{"+email", "+password"}},
		{"missing or", `{}`, `{"message": "missing email or password"}`, []string{"+email", "+password"}},
		{"are required", `{}`, `{"error": "title, body and tags are required"}`, []string{"+body", "+tags", "+title"}},
		{"policy", `{"password": "x"}`, `{"error": "password must include a number and a symbol"}`, nil},
		{"prose", `{"title": "t"}`, `{"error": "Please try again and contact support."}`, nil},
	}
	for _, c := range cases {
		var body map[string]any
		if err := json.Unmarshal([]byte(c.body), &body); err != nil {
			t.Fatal(err)
		}
		_, changed, ok := Learn(body, []byte(c.answer))
		if strings.Join(changed, ",") != strings.Join(c.want, ",") || ok != (len(c.want) > 0) {
			t.Errorf("%s: changed %v (%v), want %v", c.name, changed, ok, c.want)
		}
	}
}

// TestQueryParams: the parameters a validation answer places in the query
// string are named as such and never added to the body; body fields and
// reqparse's default location (body or query) stay the body's.
func TestQueryParams(t *testing.T) {
	t.Parallel()
	cases := []struct {
		answer, query, body string
	}{
		// FastAPI, pydantic 1 and 2.
		{`{"detail":[{"loc":["query","key"],"msg":"field required","type":"value_error.missing"}]}`, "key", ""},
		{`{"detail":[{"type":"missing","loc":["query","token"],"msg":"Field required","input":null},{"type":"missing","loc":["body","title"],"msg":"Field required"}]}`, "token", "+title"},
		{`{"detail":[{"loc":["path","item_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}`, "", ""},
		// webargs / flask-smorest per location.
		{`{"code":422,"errors":{"query":{"page":["Missing data for required field."]},"json":{"name":["Missing data for required field."]}}}`, "page", "+name"},
		{`{"errors":{"querystring":{"since":["Not a valid datetime."]}}}`, "since", ""},
		// Flask-RESTful reqparse: location="args", and the default.
		{`{"message":{"ref":"Missing required parameter in the query string"}}`, "ref", ""},
		{`{"message":{"ref":"Missing required parameter in the JSON body or the post body or the query string"}}`, "", "+ref"},
	}
	for _, c := range cases {
		if got := strings.Join(QueryParams([]byte(c.answer)), ","); got != c.query {
			t.Errorf("%s: query %q, want %q", c.answer, got, c.query)
		}
		_, changed, _ := Learn(map[string]any{}, []byte(c.answer))
		if got := strings.Join(changed, ","); got != c.body {
			t.Errorf("%s: body learnt %q, want %q", c.answer, got, c.body)
		}
	}
}

// TestFreshNumber: a fresh number for a numbered path is nine digits, not
// starting with 0, and new each time.
func TestFreshNumber(t *testing.T) {
	a, b := FreshNumber(), FreshNumber()
	if len(a) != 9 || a[0] == '0' || strings.Trim(a, "0123456789") != "" || a == b {
		t.Errorf("FreshNumber %q %q", a, b)
	}
}
