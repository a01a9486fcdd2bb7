package inventory

import (
	"reflect"
	"strings"
	"testing"
)

func TestFromSpecVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		wantErr   string // "" = loads
		wantKeys  []string
	}{
		{"swagger number", "swagger: 2.0\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n", "", []string{"GET /a"}},
		{"swagger json", `{"swagger":"2.0","info":{"title":"t","version":"1"},"basePath":"/b/","paths":{"/a":{"post":{"responses":{"200":{"description":"ok"}}}}}}`, "", []string{"POST /b/a"}},
		{"swagger 1.2", "swagger: '1.2'\ninfo: {title: t, version: '1'}\n", `Swagger version "1.2" is not supported`, nil},
		{"openapi 4", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\n", `OpenAPI version "4.0.0" is not supported`, nil},
		{"openapi 2", "openapi: '2.0'\n", `OpenAPI version "2.0" is not supported`, nil},
		{"both", "openapi: 3.0.0\nswagger: '2.0'\n", "both", nil},
		{"empty", "  \n", "empty document", nil},
		{"list", "- openapi: 3.0.0\n", "not YAML or JSON (or its top level is not a mapping)", nil},
		{"scalar", "hello", "not YAML or JSON", nil},
		{"json garbage", `{"openapi": "3.0.0", "paths": [}`, "not YAML or JSON", nil},
		{"paths not a map", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: [1, 2]\n", "OpenAPI 3.0.0", nil},
		{"no paths 3.1", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n", "", nil},
		{"3.2 query method", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /q:\n    query: {responses: {'200': {description: ok}}}\n    additionalOperations:\n      PURGE: {responses: {'200': {description: ok}}}\n", "", []string{"PURGE /q", "QUERY /q"}},
		{"billion laughs", laughs, "excessive aliasing", nil},
		{"comment and BOM", "\ufeffopenapi: '3.0.3' # the version\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n", "", []string{"GET /a"}},
		{"anchored version", "openapi: &v 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n", "", []string{"GET /a"}},
		{"flow yaml", "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {/a: {get: {responses: {'200': {description: ok}}}}}}", "", []string{"GET /a"}},
		{"json number", `{"swagger": 2.0, "info": {"title": "t", "version": "1"}, "paths": {"/a": {"head": {"responses": {"200": {"description": "ok"}}}}}}`, "", []string{"HEAD /a"}},
		{"json null", `{"openapi": null}`, `OpenAPI version "null" is not supported`, nil},
		{"json case", `{"OpenAPI": "3.0.0"}`, `no "openapi" or "swagger" field`, nil},
		{"indented only", "x:\n  openapi: 3.0.0\n", `no "openapi" or "swagger" field`, nil},
		{"unterminated quote", "openapi: '3.0.0\n", "not YAML or JSON", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv, err := FromSpec([]byte(tc.doc), "x.yaml")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "x.yaml: ") {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(inv); !reflect.DeepEqual(got, tc.wantKeys) {
				t.Errorf("endpoints %v, want %v", got, tc.wantKeys)
			}
		})
	}
}

// laughs is a YAML alias bomb; the parser must refuse it, not expand it.
var laughs = `openapi: 3.0.0
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

const head30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"

func TestFromSpecServersAndSchemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		wantKeys  []string
		wantWarn  []string
	}{
		{"relative server", head30 + "servers: [{url: /api/}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /api/a"}, nil},
		{"root server", head30 + "servers: [{url: 'http://h:8080/'}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /a"}, nil},
		{"differing servers", head30 + "servers: [{url: 'http://h/v1'}, {url: 'http://h/v2'}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /v1/a"}, []string{`servers have different paths ("/v1", "/v2")`}},
		{"variable without default", head30 + "servers: [{url: 'http://h/{base}'}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /a"}, []string{"variable without a default"}},
		{"scheme-relative server", head30 + "servers: [{url: '//h.example/base/'}]\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /base/a"}, nil},
		{"operation server", head30 + "servers: [{url: /v1}]\npaths: {/a: {get: {servers: [{url: /v9}], responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /v9/a"}, nil},
		{"path without slash", head30 + "paths: {a: {get: {responses: {'200': {description: ok}}}}, /b: {get: {responses: {'200': {description: ok}}}}}\n",
			[]string{"GET /b"}, []string{`path "a" does not start with "/"; skipped`}},
		{"bad template", head30 + "paths: {'/a/{x': {get: {responses: {'200': {description: ok}}}}}\n",
			nil, []string{`path "/a/{x": unbalanced "{" in path; skipped`}},
		{"unprobed schemes", head30 + "components: {securitySchemes: {d: {type: http, scheme: digest}, m: {type: mutualTLS}, k: {type: apiKey, in: body, name: k}}}\npaths: {}\n",
			nil, []string{`"d": HTTP "digest" authentication is not probed`, `API key location "body"`, `"m": type "mutualTLS" is not probed`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv, err := FromSpec([]byte(tc.doc), "s")
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(inv); !reflect.DeepEqual(got, tc.wantKeys) {
				t.Errorf("endpoints %v, want %v", got, tc.wantKeys)
			}
			warns := inv.Warnings
			if len(tc.wantWarn) == 0 {
				warns = slicesWithout(warns, "declares no paths")
			}
			if len(warns) < len(tc.wantWarn) || (len(tc.wantWarn) == 0 && len(warns) > 0) {
				t.Fatalf("warnings %q, want %q", inv.Warnings, tc.wantWarn)
			}
			for _, w := range tc.wantWarn {
				if !containsSubstring(inv.Warnings, w) {
					t.Errorf("warnings %q lack %q", inv.Warnings, w)
				}
			}
		})
	}
}

func slicesWithout(ss []string, sub string) []string {
	var out []string
	for _, s := range ss {
		if !strings.Contains(s, sub) {
			out = append(out, s)
		}
	}
	return out
}

func containsSubstring(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestFromSpecParamExamples(t *testing.T) {
	t.Parallel()
	doc := head30 + `paths:
  /p/{a}/{b}/{c}/{d}/{e}/{f}/{g}:
    get:
      parameters:
        - {name: a, in: path, required: true, schema: {type: integer, minimum: 3, exclusiveMinimum: true}}
        - {name: b, in: path, required: true, schema: {type: string, maxLength: 2}}
        - {name: c, in: path, required: true, schema: {type: string, minLength: 6}}
        - {name: d, in: path, required: true, schema: {type: number, default: 2.5}}
        - {name: e, in: path, required: true, schema: {type: boolean}}
        - {name: f, in: path, required: true, content: {text/plain: {schema: {type: integer}}}}
        - {name: g, in: path, required: true, schema: {type: array, items: {type: integer}, example: [1, 2]}}
      responses: {'200': {description: ok}}
`
	inv, err := FromSpec([]byte(doc), "s")
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{
		pathParam("a", "integer", "4"),
		pathParam("b", "string", "te"),
		pathParam("c", "string", "testtt"),
		pathParam("d", "number", "2.5"),
		pathParam("e", "boolean", "true"),
		pathParam("f", "integer", "1"),
		pathParam("g", "string", "1,2"),
	}
	if len(inv.Endpoints) != 1 || !reflect.DeepEqual(inv.Endpoints[0].Params, want) {
		t.Fatalf("params = %+v\nwant %+v", inv.Endpoints, want)
	}
	if got := inv.Endpoints[0].Concrete(map[string]string{"b": "x/y"}); got != "/p/4/x%2Fy/testtt/2.5/true/1/1%2C2" {
		t.Errorf("Concrete = %q", got)
	}
}

func TestFromSpecCyclicSchemas(t *testing.T) {
	t.Parallel()
	doc := head30 + `components:
  schemas:
    A: {allOf: [{$ref: '#/components/schemas/B'}]}
    B: {oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/N'}]}
    N: {type: integer}
    Tree: {type: object, properties: {child: {$ref: '#/components/schemas/Tree'}}}
paths:
  /c/{a}/{t}:
    get:
      parameters:
        - {name: a, in: path, required: true, schema: {$ref: '#/components/schemas/A'}}
        - {name: t, in: path, required: true, schema: {$ref: '#/components/schemas/Tree'}}
      responses: {'200': {description: ok}}
`
	inv, err := FromSpec([]byte(doc), "s")
	if err != nil {
		t.Fatal(err)
	}
	want := []Param{pathParam("a", "integer", "1"), pathParam("t", "string", "test")}
	if len(inv.Endpoints) != 1 || !reflect.DeepEqual(inv.Endpoints[0].Params, want) {
		t.Fatalf("endpoints %+v, want params %+v", inv.Endpoints, want)
	}
}

func TestFromSpecParamOverrides(t *testing.T) {
	t.Parallel()
	doc := `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a/{id}/{n}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, example: 1}}
      - {name: n, in: path, required: true, schema: {type: integer, exclusiveMinimum: 5}}
      - {name: key, in: query, required: true, schema: {type: string, const: fixed}}
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, example: abc}}
        - {name: key, in: query, required: false, schema: {type: string}}
    put:
      parameters:
        - {name: id, in: query, required: true, schema: {type: boolean}}
`
	inv, err := FromSpec([]byte(doc), "s")
	if err != nil {
		t.Fatal(err)
	}
	get := find(t, inv, "GET /a/{id}/{n}")
	wantGet := []Param{pathParam("id", "string", "abc"), pathParam("n", "integer", "6")}
	if !reflect.DeepEqual(get.Params, wantGet) {
		t.Errorf("GET params %+v, want %+v (the operation's declarations win)", get.Params, wantGet)
	}
	put := find(t, inv, "PUT /a/{id}/{n}")
	wantPut := []Param{pathParam("id", "integer", "1"), pathParam("n", "integer", "6"),
		{Name: "id", In: "query", Type: "boolean", Example: "true", Required: true},
		{Name: "key", In: "query", Type: "string", Example: "fixed", Required: true}}
	if !reflect.DeepEqual(put.Params, wantPut) {
		t.Errorf("PUT params %+v, want %+v", put.Params, wantPut)
	}
	if got := put.Concrete(nil); got != "/a/1/6?id=true&key=fixed" {
		t.Errorf("Concrete = %q", got)
	}
}
