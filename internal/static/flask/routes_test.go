package flask

import (
	"reflect"
	"testing"
)

func TestConvertRule(t *testing.T) {
	cases := []struct {
		rule, path string
		params     []Param
	}{
		{"/orders/<int:order_id>", "/orders/{order_id}", []Param{{"order_id", "int"}}},
		{"/f/<path:p>/x/<name>", "/f/{p}/x/{name}", []Param{{"p", "path"}, {"name", ""}}},
		{"/c/<any(a, b):kind>", "/c/{kind}", []Param{{"kind", "any"}}},
		{"/plain", "/plain", nil},
		{"/broken/<oops", "/broken/<oops", nil},
	}
	for _, c := range cases {
		path, params := ConvertRule(c.rule)
		if path != c.path || !reflect.DeepEqual(params, c.params) {
			t.Errorf("ConvertRule(%q) = %q %v, want %q %v", c.rule, path, params, c.path, c.params)
		}
	}
}

func TestJoinRule(t *testing.T) {
	cases := [][3]string{
		{"", "/a", "/a"},
		{"/api/", "/a", "/api/a"},
		{"/api", "", "/api"},
		{"/api", "/", "/api/"},
	}
	for _, c := range cases {
		if got := joinRule(c[0], c[1]); got != c[2] {
			t.Errorf("joinRule(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestModuleName(t *testing.T) {
	cases := map[string]string{"app.py": "app", "pkg/__init__.py": "pkg", "pkg/sub/views.py": "pkg.sub.views", "__init__.py": ""}
	for in, want := range cases {
		if got, _ := moduleName(in); got != want {
			t.Errorf("moduleName(%q) = %q, want %q", in, got, want)
		}
	}
	m := &Module{Name: "pkg.sub.views"}
	if got := m.resolveRelative("..config"); got != "pkg.config" {
		t.Errorf("relative import: %q", got)
	}
}
