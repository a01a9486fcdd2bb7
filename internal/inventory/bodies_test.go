package inventory

import (
	"encoding/json"
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
