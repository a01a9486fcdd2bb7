package inventory

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func loadTestdata(t *testing.T, name string) *Inventory {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	inv, err := FromSpec(data, name)
	if err != nil {
		t.Fatalf("FromSpec(%s): %v", name, err)
	}
	return inv
}

func keys(inv *Inventory) []string {
	var out []string
	for _, e := range inv.Endpoints {
		out = append(out, e.Key())
	}
	return out
}

func find(t *testing.T, inv *Inventory, key string) Endpoint {
	t.Helper()
	for _, e := range inv.Endpoints {
		if e.Key() == key {
			return e
		}
	}
	t.Fatalf("no endpoint %q in %v", key, keys(inv))
	return Endpoint{}
}

// specCase is what one endpoint of a testdata spec must look like.
type specCase struct {
	key      string
	security [][]string // nil: not declared
	params   []Param
	summary  string
	concrete string
}

func checkEndpoints(t *testing.T, inv *Inventory, cases []specCase) {
	t.Helper()
	for _, c := range cases {
		e := find(t, inv, c.key)
		if !reflect.DeepEqual(e.Security, c.security) {
			t.Errorf("%s: security = %#v, want %#v", c.key, e.Security, c.security)
		}
		if c.params != nil && !reflect.DeepEqual(e.Params, c.params) {
			t.Errorf("%s: params = %+v, want %+v", c.key, e.Params, c.params)
		}
		if e.Summary != c.summary {
			t.Errorf("%s: summary = %q, want %q", c.key, e.Summary, c.summary)
		}
		if c.concrete != "" && e.Concrete(nil) != c.concrete {
			t.Errorf("%s: Concrete = %q, want %q", c.key, e.Concrete(nil), c.concrete)
		}
		if !reflect.DeepEqual(e.Sources, []string{SourceSpec}) {
			t.Errorf("%s: sources = %v", c.key, e.Sources)
		}
	}
}

func pathParam(name, typ, example string) Param {
	return Param{Name: name, In: "path", Type: typ, Example: example, Required: true}
}

func TestFromSpecOpenAPI30(t *testing.T) {
	t.Parallel()
	inv := loadTestdata(t, "openapi30.yaml")
	wantKeys := []string{
		"GET /api/v1/feed", "GET /api/v1/files/{name}", "GET /api/v1/health",
		"HEAD /api/v1/items/{item_id}", "OPTIONS /api/v1/items/{item_id}",
		"PATCH /api/v1/items/{item_id}", "TRACE /api/v1/items/{item_id}",
		"DELETE /api/v1/orders/{order_id}", "GET /api/v1/orders/{order_id}",
		"GET /api/v1/pages/{page}", "GET /api/v1/reports", "GET /api/v1/search",
		"GET /api/v1/users/me", "GET /old/legacy/{code}",
	}
	if got := keys(inv); !slices.Equal(got, wantKeys) {
		t.Fatalf("endpoints:\n got %v\nwant %v", got, wantKeys)
	}
	if inv.BasePath != "/api/v1" {
		t.Errorf("BasePath = %q", inv.BasePath)
	}
	if len(inv.Warnings) != 0 {
		t.Errorf("unexpected warnings: %v", inv.Warnings)
	}
	bearer := [][]string{{"bearerAuth"}}
	checkEndpoints(t, inv, []specCase{
		{key: "GET /api/v1/health", security: [][]string{}, summary: "Liveness", concrete: "/api/v1/health"},
		{key: "GET /api/v1/users/me", security: bearer, summary: "Current user"},
		{key: "GET /api/v1/orders/{order_id}", security: bearer, summary: "getOrder",
			params: []Param{pathParam("order_id", "integer", "42")}, concrete: "/api/v1/orders/42"},
		{key: "DELETE /api/v1/orders/{order_id}", security: [][]string{{"apiKey", "bearerAuth"}},
			summary: "Delete an order (token and key)"},
		{key: "GET /api/v1/reports", security: [][]string{{"bearerAuth"}, {"apiKey"}, {"oauth"}}, summary: "Token or key"},
		{key: "TRACE /api/v1/items/{item_id}", security: bearer,
			params: []Param{pathParam("item_id", "uuid", DefaultUUID)}},
		{key: "GET /api/v1/files/{name}", security: bearer,
			params: []Param{pathParam("name", "string", "report.pdf")}, concrete: "/api/v1/files/report.pdf"},
		{key: "GET /api/v1/feed", security: [][]string{{}, {"bearerAuth"}}, summary: "Optional authentication"},
		{key: "GET /api/v1/search", security: bearer, concrete: "/api/v1/search?limit=10&q=shoes", params: []Param{
			{Name: "limit", In: "query", Type: "integer", Example: "10", Required: true},
			{Name: "q", In: "query", Type: "string", Example: "shoes", Required: true},
		}},
		// the header parameter of the same name is not a path parameter
		{key: "GET /api/v1/pages/{page}", security: bearer, params: []Param{pathParam("page", "integer", "5")}},
		// path-level servers override the document's; examples are taken in name order
		{key: "GET /old/legacy/{code}", security: bearer, params: []Param{pathParam("code", "string", "A-1")}},
	})
	wantSchemes := map[string]Scheme{
		"bearerAuth": {Name: "bearerAuth", Type: "bearer", In: "header", Param: "Authorization", Format: "JWT"},
		"apiKey":     {Name: "apiKey", Type: "apiKey", In: "header", Param: "X-API-Key"},
		"queryKey":   {Name: "queryKey", Type: "apiKey", In: "query", Param: "api_key"},
		"cookieKey":  {Name: "cookieKey", Type: "apiKey", In: "cookie", Param: "session"},
		"basicAuth":  {Name: "basicAuth", Type: "basic", In: "header", Param: "Authorization"},
		"oauth":      {Name: "oauth", Type: "bearer", In: "header", Param: "Authorization"},
		"oidc":       {Name: "oidc", Type: "bearer", In: "header", Param: "Authorization"},
	}
	if !reflect.DeepEqual(inv.Schemes, wantSchemes) {
		t.Errorf("schemes:\n got %+v\nwant %+v", inv.Schemes, wantSchemes)
	}
}

func TestFromSpecSwagger20(t *testing.T) {
	t.Parallel()
	inv := loadTestdata(t, "swagger20.yaml")
	wantKeys := []string{"GET /v2/status", "GET /v2/users/{user_id}", "PUT /v2/users/{user_id}", "DELETE /v2/users/{user_id}/keys/{key_id}"}
	if got := keys(inv); !slices.Equal(got, wantKeys) {
		t.Fatalf("endpoints:\n got %v\nwant %v", got, wantKeys)
	}
	if inv.BasePath != "/v2" {
		t.Errorf("BasePath = %q", inv.BasePath)
	}
	user := []Param{pathParam("user_id", "integer", "7")}
	checkEndpoints(t, inv, []specCase{
		{key: "GET /v2/status", security: [][]string{}, summary: "Public status"},
		{key: "GET /v2/users/{user_id}", security: [][]string{{"key"}}, summary: "Read a user", params: user, concrete: "/v2/users/7"},
		// the body parameter is not a path or query parameter
		{key: "PUT /v2/users/{user_id}", security: [][]string{{"basic"}, {"oauth"}}, summary: "Update a user", params: user},
		{key: "DELETE /v2/users/{user_id}/keys/{key_id}", security: [][]string{{"key", "queryToken"}},
			params:   []Param{pathParam("user_id", "integer", "7"), pathParam("key_id", "uuid", DefaultUUID)},
			concrete: "/v2/users/7/keys/" + DefaultUUID},
	})
	wantSchemes := map[string]Scheme{
		"key":        {Name: "key", Type: "apiKey", In: "header", Param: "X-Api-Key"},
		"queryToken": {Name: "queryToken", Type: "apiKey", In: "query", Param: "token"},
		"basic":      {Name: "basic", Type: "basic", In: "header", Param: "Authorization"},
		"oauth":      {Name: "oauth", Type: "bearer", In: "header", Param: "Authorization"},
	}
	if !reflect.DeepEqual(inv.Schemes, wantSchemes) {
		t.Errorf("schemes:\n got %+v\nwant %+v", inv.Schemes, wantSchemes)
	}
}

func TestFromSpecOpenAPI31(t *testing.T) {
	t.Parallel()
	inv := loadTestdata(t, "openapi31.yaml")
	wantKeys := []string{"GET /api/ping", "DELETE /api/things/{id}", "GET /api/things/{id}"}
	if got := keys(inv); !slices.Equal(got, wantKeys) {
		t.Fatalf("endpoints:\n got %v\nwant %v", got, wantKeys)
	}
	id := []Param{pathParam("id", "integer", "1001")} // type [integer, null], examples: [1001]
	checkEndpoints(t, inv, []specCase{
		{key: "GET /api/ping", security: nil, summary: "No responses needed in 3.1"},
		{key: "GET /api/things/{id}", security: [][]string{{"jwt"}}, summary: "Read a thing", params: id, concrete: "/api/things/1001"},
		{key: "DELETE /api/things/{id}", security: [][]string{{"jwt"}}, params: id},
	})
	if s := inv.Schemes["jwt"]; s.Type != "bearer" || s.Format != "JWT" {
		t.Errorf("scheme jwt (scheme: Bearer) = %+v", s)
	}
}

func TestFromSpecJSONGlobalPublic(t *testing.T) {
	t.Parallel()
	inv := loadTestdata(t, "openapi30.json")
	checkEndpoints(t, inv, []specCase{
		// top-level security: [] declares every operation public unless it overrides
		{key: "GET /open", security: [][]string{}},
		{key: "POST /closed", security: [][]string{{"token"}}},
	})
	if inv.BasePath != "" {
		t.Errorf("BasePath = %q, want none", inv.BasePath)
	}
}

func TestFromSpecWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file      string
		endpoints int
		warnings  []string
	}{
		{"nopaths.yaml", 0, []string{"nopaths.yaml: the spec declares no paths"}},
		{"webhooks31.yaml", 0, []string{"webhooks31.yaml: the spec declares no paths (only webhooks"}},
		{"undeclared.yaml", 1, []string{
			`path parameter "account_id" is not declared`,
			`path parameter "slug" is not declared`,
			`security scheme "ghost" is required by 1 operation(s) but not defined`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			inv := loadTestdata(t, tc.file)
			if len(inv.Endpoints) != tc.endpoints {
				t.Errorf("%d endpoints, want %d", len(inv.Endpoints), tc.endpoints)
			}
			if len(inv.Warnings) != len(tc.warnings) {
				t.Fatalf("warnings = %q, want %d", inv.Warnings, len(tc.warnings))
			}
			for i, w := range tc.warnings {
				if !strings.Contains(inv.Warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, inv.Warnings[i], w)
				}
			}
		})
	}
	inv := loadTestdata(t, "undeclared.yaml")
	e := inv.Endpoints[0]
	want := []Param{pathParam("account_id", "integer", "1"), pathParam("slug", "string", "1")}
	if !reflect.DeepEqual(e.Params, want) {
		t.Errorf("guessed params = %+v, want %+v", e.Params, want)
	}
}

func TestFromSpecErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want string
	}{
		{"invalid.yaml", "yaml: line 5: found unexpected end of stream"},
		{"not-openapi.yaml", `no "openapi" or "swagger" field`},
		{"external-ref.yaml", `reference "common.yaml#/components/parameters/Id" points to another document`},
		{"remote-ref.yaml", `reference "http://127.0.0.1:1/paths.yaml#/a" points to another document`},
		{"missing-ref.yaml", "#/components/parameters/Nope"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			inv, err := FromSpec(data, tc.file)
			if err == nil {
				t.Fatalf("no error; inventory %v", keys(inv))
			}
			if !strings.HasPrefix(err.Error(), tc.file+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want the location and %q", err, tc.want)
			}
		})
	}
}
