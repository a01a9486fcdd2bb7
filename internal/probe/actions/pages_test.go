package actions

import (
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe/pages"
)

// TestRecordFormFor: a record's page form is matched to a route by its
// method and a URL of the route's path (a mount prefix allowed), never
// to another route of the same shape's neighbour nor to another method.
func TestRecordFormFor(t *testing.T) {
	r := &record{markers: []string{"authprobe-x"}, forms: []pages.Form{
		{Method: "POST", Action: "http://h/revoke/7"},
		{Method: "POST", Action: "http://h/app/keys/7/rename", Fields: map[string]string{"name": "authprobe-x", "csrf": "t"}},
	}}
	cases := []struct {
		ep   inventory.Endpoint
		want string
	}{
		{inventory.Endpoint{Method: "POST", Path: "/revoke/{key_id}"}, "http://h/revoke/7"},
		{inventory.Endpoint{Method: "POST", Path: "/keys/{id}/rename"}, "http://h/app/keys/7/rename"},
		{inventory.Endpoint{Method: "DELETE", Path: "/revoke/{key_id}"}, ""},
		{inventory.Endpoint{Method: "POST", Path: "/revoke"}, ""},
		{inventory.Endpoint{Method: "POST", Path: "/keys/{id}"}, ""},
	}
	for _, c := range cases {
		got := ""
		if f := r.formFor(&c.ep); f != nil {
			got = f.Action
		}
		if got != c.want {
			t.Errorf("%s: form %q, want %q", c.ep.Key(), got, c.want)
		}
	}
	if !r.shows("authprobe-x") || r.shows("t") || !r.shownIn([]byte("<td>authprobe-x</td>")) || r.shownIn([]byte("<td>other</td>")) {
		t.Error("shows/shownIn")
	}
}
