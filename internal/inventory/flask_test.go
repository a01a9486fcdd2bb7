package inventory

import (
	"reflect"
	"testing"
)

func TestFlaskRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule   string
		path   string
		params []Param
	}{
		{"/orders/<int:order_id>", "/orders/{order_id}", []Param{pathParam("order_id", "integer", "1")}},
		{"/users/<username>/posts/<int:post_id>", "/users/{username}/posts/{post_id}",
			[]Param{pathParam("username", "string", "test"), pathParam("post_id", "integer", "1")}},
		{"/price/<float:amount>", "/price/{amount}", []Param{pathParam("amount", "number", "1.0")}},
		{"/price/<float(min=3.5):amount>", "/price/{amount}", []Param{pathParam("amount", "number", "3.5")}},
		{"/obj/<uuid:oid>", "/obj/{oid}", []Param{pathParam("oid", "uuid", DefaultUUID)}},
		{"/files/<path:subpath>", "/files/{subpath}", []Param{pathParam("subpath", "path", "test")}},
		{"/s/<string:slug>", "/s/{slug}", []Param{pathParam("slug", "string", "test")}},
		{"/s/<string(length=2):cc>", "/s/{cc}", []Param{pathParam("cc", "string", "te")}},
		{"/s/<string(minlength=6):x>", "/s/{x}", []Param{pathParam("x", "string", "testtt")}},
		{"/s/<string(maxlength=3):x>", "/s/{x}", []Param{pathParam("x", "string", "tes")}},
		{"/s/<string(5):x>", "/s/{x}", []Param{pathParam("x", "string", "testt")}},
		{"/p/<any(about, 'help'):page>", "/p/{page}", []Param{pathParam("page", "string", "about")}},
		{"/n/<int(min=10):n>", "/n/{n}", []Param{pathParam("n", "integer", "10")}},
		{"/n/<int(fixed_digits=4):n>", "/n/{n}", []Param{pathParam("n", "integer", "0001")}},
		{"/n/<int(max=0, signed=True):n>", "/n/{n}", []Param{pathParam("n", "integer", "0")}},
		{"/h/<hexid:token_id>", "/h/{token_id}", []Param{pathParam("token_id", "integer", "1")}},
		{"/h/<custom:name>", "/h/{name}", []Param{pathParam("name", "string", "1")}},
		{"static/<name >", "/static/{name}", []Param{pathParam("name", "string", "test")}},
		{"/literal/<1bad>", "/literal/<1bad>", nil},
		{"/", "/", nil},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			path, params := FlaskRule(tc.rule)
			if path != tc.path || !reflect.DeepEqual(params, tc.params) {
				t.Errorf("FlaskRule(%q) = %q %+v, want %q %+v", tc.rule, path, params, tc.path, tc.params)
			}
		})
	}
	// A converted rule round-trips through Concrete to a URL Flask routes.
	path, params := FlaskRule("/orders/<int:order_id>/lines/<uuid:line>")
	e := Endpoint{Method: "GET", Path: path, Params: params}
	if got := e.Concrete(nil); got != "/orders/1/lines/"+DefaultUUID {
		t.Errorf("Concrete = %q", got)
	}
}
