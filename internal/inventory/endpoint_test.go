package inventory

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Endpoint
		wantErr string
	}{
		{in: "GET /api/me", want: Endpoint{Method: "GET", Path: "/api/me"}},
		{in: "  get   /api/orders/{id}  ", want: Endpoint{Method: "GET", Path: "/api/orders/{id}",
			Params: []Param{pathParam("id", "integer", "1")}}},
		{in: "/health", want: Endpoint{Method: "GET", Path: "/health"}},
		{in: "Patch /items/{item_uuid}/notes/{note}", want: Endpoint{Method: "PATCH", Path: "/items/{item_uuid}/notes/{note}",
			Params: []Param{pathParam("item_uuid", "uuid", DefaultUUID), pathParam("note", "string", "1")}}},
		{in: "DELETE /orders/<int:order_id>", want: Endpoint{Method: "DELETE", Path: "/orders/{order_id}",
			Params: []Param{pathParam("order_id", "integer", "1")}}},
		{in: "GET /search?q=shoes&page=2", want: Endpoint{Method: "GET", Path: "/search", Params: []Param{
			{Name: "page", In: "query", Type: "string", Example: "2", Required: true},
			{Name: "q", In: "query", Type: "string", Example: "shoes", Required: true},
		}}},
		{in: "options /", want: Endpoint{Method: "OPTIONS", Path: "/"}},
		{in: "", wantErr: `want "METHOD /path"`},
		{in: "GET /a /b", wantErr: `want "METHOD /path"`},
		{in: "FETCH /a", wantErr: `unknown HTTP method "FETCH"`},
		{in: "GET api/me", wantErr: `path must start with "/"`},
		{in: "GET http://host/api/me", wantErr: `path must start with "/"`},
		{in: "GET /a#frag", wantErr: "fragment"},
		{in: "GET /a/{id", wantErr: `unbalanced "{"`},
		{in: "GET /a/id}", wantErr: `unbalanced "}"`},
		{in: "GET /a/{}", wantErr: "empty placeholder"},
		{in: "GET /a/{id}/{id}", wantErr: "appears twice"},
		{in: "GET /a/{x{y}}", wantErr: `unbalanced "{"`},
		{in: "GET /a?%zz", wantErr: "query string"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEndpoint(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseEndpoints(t *testing.T) {
	t.Parallel()
	eps, err := ParseEndpoints([]string{"GET /a", "BOGUS /b", "POST /c", "x"}, SourceConfig)
	if err == nil || !strings.Contains(err.Error(), "BOGUS") || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("error %v, want both bad lines named", err)
	}
	if len(eps) != 2 || eps[0].Key() != "GET /a" || eps[1].Key() != "POST /c" {
		t.Fatalf("endpoints %+v", eps)
	}
	for _, e := range eps {
		if !reflect.DeepEqual(e.Sources, []string{SourceConfig}) {
			t.Errorf("%s sources %v", e.Key(), e.Sources)
		}
	}
}

func TestConcrete(t *testing.T) {
	t.Parallel()
	e := Endpoint{Method: "GET", Path: "/u/{user}/f/{file}/x/{undeclared_id}", Params: []Param{
		pathParam("user", "string", "alice smith"),
		pathParam("file", "path", "dir/a b.txt"),
		{Name: "q", In: "query", Example: "a&b", Required: true},
		{Name: "opt", In: "query", Example: "no"},
	}}
	tests := []struct {
		values map[string]string
		want   string
	}{
		{nil, "/u/alice%20smith/f/dir/a%20b.txt/x/1?q=a%26b"},
		{map[string]string{"user": "../admin", "file": "x", "q": "z", "undeclared_id": "7"}, "/u/..%2Fadmin/f/x/x/7?q=z"},
		{map[string]string{"user": "", "opt": "ignored"}, "/u//f/dir/a%20b.txt/x/1?q=a%26b"},
	}
	for _, tc := range tests {
		if got := e.Concrete(tc.values); got != tc.want {
			t.Errorf("Concrete(%v) = %q, want %q", tc.values, got, tc.want)
		}
	}
	plain := Endpoint{Method: "GET", Path: "/static/{"}
	if got := plain.Concrete(nil); got != "/static/{" {
		t.Errorf("unclosed brace: %q", got)
	}
}

func TestDeclaredPublic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sec              [][]string
		declared, public bool
	}{
		{nil, false, false},
		{[][]string{}, true, true},
		{[][]string{{"jwt"}}, true, false},
		{[][]string{{"jwt", "key"}}, true, false},
		{[][]string{{"jwt"}, {}}, true, true},
	}
	for _, tc := range tests {
		e := Endpoint{Method: "GET", Path: "/", Security: tc.sec}
		if e.Declared() != tc.declared || e.Public() != tc.public {
			t.Errorf("%#v: Declared %v Public %v, want %v %v", tc.sec, e.Declared(), e.Public(), tc.declared, tc.public)
		}
	}
}
