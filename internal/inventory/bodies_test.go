package inventory

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const bodiesSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                id: {type: integer, readOnly: true}
                name: {type: string, minLength: 12}
                email: {type: string, format: email}
                kind: {type: string, enum: [small, large]}
                count: {type: integer, minimum: 3}
                tags: {type: array, items: {type: string}}
                approved: {type: boolean, readOnly: true}
                role: {type: string, readOnly: true, enum: [user, admin]}
  /things/{id}:
    put:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      requestBody:
        content:
          application/json:
            example: {name: from-example}
            schema: {type: object, properties: {name: {type: string}}}
`

func TestRequestBodies(t *testing.T) {
	inv, err := FromSpec([]byte(bodiesSpec), "spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	post, ok := inv.Bodies["POST /things"]
	if !ok || !post.Generated {
		t.Fatalf("POST /things: %+v", post)
	}
	got, _ := json.Marshal(post.Value)
	want := `{"count":3,"email":"authprobe@example.com","kind":"small","name":"authprobexxx","tags":["authprobe"]}`
	if string(got) != want {
		t.Errorf("generated body %s, want %s", got, want)
	}
	if len(post.Required) != 1 || post.Required[0] != "name" {
		t.Errorf("required %v", post.Required)
	}
	if post.ReadOnly["approved"] != true || post.ReadOnly["role"] != "admin" || post.ReadOnly["id"] != nil {
		t.Errorf("read-only fields to forge: %v", post.ReadOnly)
	}
	put := inv.Bodies["PUT /things/{id}"]
	if put.Generated || put.Value.(map[string]any)["name"] != "from-example" {
		t.Errorf("the example must win over the schema: %+v", put)
	}
}

// TestRequestBodiesSurvivePruning: the spec pruning that keeps memory low
// (pruneJSON, pruneYAML for large YAML) drops responses, never request
// bodies: a JSON spec as FastAPI serves it ($ref to a component schema) and
// a large YAML one both give the write phase its body.
func TestRequestBodiesSurvivePruning(t *testing.T) {
	js := `{"openapi": "3.0.2", "info": {"title": "t", "version": "1"},
  "paths": {"/add_item": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ItemInfo"}}}, "required": true},
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ItemInfo"}}}}}}}},
  "components": {"schemas": {"ItemInfo": {"type": "object", "required": ["itemname", "itemprice"],
    "properties": {"itemname": {"type": "string", "minLength": 3}, "itemprice": {"type": "integer", "minimum": 1}}}}}}`
	inv, err := FromSpec([]byte(js), "openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	b, ok := inv.Bodies["POST /add_item"]
	if !ok {
		t.Fatal("JSON spec: the request body was pruned away")
	}
	if m, _ := b.Value.(map[string]any); m["itemname"] == nil || m["itemprice"] == nil {
		t.Errorf("JSON spec: body %v", b.Value)
	}
	var y strings.Builder
	y.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n")
	y.WriteString("  /notes:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                title: {type: string}\n      responses:\n        '201': {description: created}\n")
	for i := 0; y.Len() <= pruneYAMLOver; i++ {
		fmt.Fprintf(&y, "  /pad%d:\n    get:\n      responses:\n        '200':\n          description: a long enough description to pad the document out\n", i)
	}
	inv, err = FromSpec([]byte(y.String()), "openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := inv.Bodies["POST /notes"]; !ok || b.Value.(map[string]any)["title"] == nil {
		t.Errorf("large YAML spec: body %v (present %v)", b.Value, ok)
	}
}

// TestFormRequestBody: an operation that takes only a form-encoded body
// (FastAPI's OAuth2PasswordRequestForm) gives a body marked Form.
func TestFormRequestBody(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /login:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [username, password]
              properties:
                username: {type: string}
                password: {type: string}
      responses:
        "200": {description: ok}
`
	inv, err := FromSpec([]byte(spec), "openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, ok := inv.Bodies["POST /login"]
	if !ok || !b.Form {
		t.Fatalf("body %+v (present %v)", b, ok)
	}
	if m, _ := b.Value.(map[string]any); m["username"] == nil || m["password"] == nil {
		t.Errorf("fields %v", b.Value)
	}
}

func TestPatternLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"^password$":                 "password",
		"password":                   "password",
		"^(password|refresh_token)$": "password",
		"^[a-z]+$":                   "",
		"\\d{4}":                     "",
		"":                           "",
	} {
		if got := patternLiteral(in); got != want {
			t.Errorf("patternLiteral(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMultipartRequestBody: an upload (FastAPI's UploadFile: multipart
// with a binary property) gives a form body with its file fields, the kind
// of file from the encoding's contentType; a JSON body has no files.
func TestMultipartRequestBody(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /bulk/:
    post:
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                note: {type: string}
                pics: {type: array, items: {type: string, format: binary}}
            encoding:
              file: {contentType: application/x-yaml}
      responses:
        "200": {description: ok}
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {title: {type: string}}}
      responses:
        "201": {description: ok}
`
	inv, err := FromSpec([]byte(spec), "openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, ok := inv.Bodies["POST /bulk/"]
	if !ok || !b.Form || len(b.Files) != 2 || b.Files["file"] != "yaml" || b.Files["pics"] != "" {
		t.Fatalf("upload body %+v (present %v)", b, ok)
	}
	if m, _ := b.Value.(map[string]any); m["note"] == nil {
		t.Errorf("the text field beside the file: %v", b.Value)
	}
	if j := inv.Bodies["POST /notes"]; j.Form || len(j.Files) != 0 {
		t.Errorf("a JSON body is a form: %+v", j)
	}
}

// TestSampleHonoursBounds: a generated body satisfies the schema's lower
// bounds, written either way: FastAPI's pydantic-v1 spec (3.0.2 with a
// numeric exclusiveMinimum, a list's min_length as minLength) and a
// hand-written 3.0 one (exclusiveMinimum: true beside minimum, minItems).
func TestSampleHonoursBounds(t *testing.T) {
	specs := map[string]string{
		"fastapi": `{"openapi":"3.0.2","info":{"title":"t","version":"1"},"paths":{"/users/":{"post":{
  "requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/User"}}},"required":true},
  "responses":{"200":{"description":"ok"}}}}},
  "components":{"schemas":{"User":{"type":"object","required":["age","recommendations"],"properties":{
    "age":{"type":"integer","exclusiveMinimum":1.0,"exclusiveMaximum":2147483647.0},
    "recommendations":{"type":"array","minLength":1,"items":{"type":"string","minLength":1}}}}}}}`,
		"hand": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /users/:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                age: {type: integer, minimum: 17, exclusiveMinimum: true}
                price: {type: number, minimum: 4, exclusiveMinimum: true}
                recommendations: {type: array, minItems: 2, items: {type: string}}
      responses: {"200": {description: ok}}
`,
	}
	want := map[string]string{
		"fastapi": `{"age":2,"recommendations":["authprobe"]}`,
		"hand":    `{"age":18,"price":5,"recommendations":["authprobe","authprobe"]}`,
	}
	for name, spec := range specs {
		inv, err := FromSpec([]byte(spec), "spec."+map[bool]string{true: "json", false: "yaml"}[name == "fastapi"])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, _ := json.Marshal(inv.Bodies["POST /users/"].Value)
		if string(got) != want[name] {
			t.Errorf("%s: generated body %s, want %s", name, got, want[name])
		}
	}
}
