package scan

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
)

// TestWriteCoverage: every phase's requests count (whoever sent them), the
// most literal template takes a request, a redirect alone is not
// exercised but a proven effect is, and reads are no write endpoints.
func TestWriteCoverage(t *testing.T) {
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{
		{Method: "POST", Path: "/api/users"},
		{Method: "PUT", Path: "/api/users/{id}"},
		{Method: "PUT", Path: "/api/users/me"},
		{Method: "DELETE", Path: "/api/tokens"},
		{Method: "POST", Path: "/edit_profile"},
		{Method: "POST", Path: "/follow/{username}"},
		{Method: "GET", Path: "/api/users"},
	}}
	target, _ := url.Parse("http://127.0.0.1:5000/")
	log := []httpx.Entry{
		{Method: "POST", URL: "http://127.0.0.1:5000/api/users", Status: 400, Identity: "writes"},
		{Method: "POST", URL: "http://127.0.0.1:5000/api/users/", Status: 201, Identity: "accounts: register"},
		{Method: "PUT", URL: "http://127.0.0.1:5000/api/users/7", Status: 401},
		{Method: "PUT", URL: "http://127.0.0.1:5000/api/users/me", Status: 200},
		{Method: "DELETE", URL: "http://127.0.0.1:5000/api/tokens", Status: 204, Identity: "lifecycle: logout"},
		{Method: "POST", URL: "http://127.0.0.1:5000/edit_profile", Status: 302},
		{Method: "POST", URL: "http://127.0.0.1:5000/follow/alice", Status: 302},
		{Method: "GET", URL: "http://127.0.0.1:5000/api/users", Status: 200},
	}
	notes := []string{"effect: POST /follow/{username} answered 302 and took effect: the page shows it"}
	got := map[string][3]any{}
	for _, w := range writeCoverage(inv, target, log, notes) {
		got[w.Endpoint.String()] = [3]any{w.Sent, w.Exercised, w.Statuses}
	}
	want := map[string][3]any{
		"POST /api/users":         {2, true, []int{201, 400}},
		"PUT /api/users/{id}":     {1, false, []int{401}},
		"PUT /api/users/me":       {1, true, []int{200}},
		"DELETE /api/tokens":      {1, true, []int{204}},
		"POST /edit_profile":      {1, false, []int{302}},
		"POST /follow/{username}": {1, true, []int{302}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("coverage:\n got %v\nwant %v", got, want)
	}
}

// TestWriteCoverageBasePath: a target under a base path whose inventory
// paths leave it out still has its requests counted.
func TestWriteCoverageBasePath(t *testing.T) {
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "DELETE", Path: "/items/{id}"}}}
	target, _ := url.Parse("http://127.0.0.1:5000/v2/")
	rows := writeCoverage(inv, target, []httpx.Entry{{Method: "DELETE", URL: "http://127.0.0.1:5000/v2/items/3", Status: 204}}, nil)
	if len(rows) != 1 || !rows[0].Exercised || rows[0].Sent != 1 {
		t.Fatalf("rows %+v", rows)
	}
}
