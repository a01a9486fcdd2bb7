package inventory

import "testing"

func TestMatching(t *testing.T) {
	inv := &Inventory{Endpoints: []Endpoint{
		{Method: "POST", Path: "/commerce/v1/{user_id}/login"},
		{Method: "POST", Path: "/commerce/v1/admin/login"},
		{Method: "GET", Path: "/commerce/v1/{user_id}/login"},
	}}
	if ep := inv.Matching("POST", "/commerce/v1/201/login"); ep == nil || ep.Path != "/commerce/v1/{user_id}/login" {
		t.Fatalf("Matching(/commerce/v1/201/login) = %v, want the template", ep)
	}
	if ep := inv.Matching("POST", "/commerce/v1/admin/login"); ep == nil || ep.Path != "/commerce/v1/admin/login" {
		t.Fatalf("Matching(/commerce/v1/admin/login) = %v, want the exact path first", ep)
	}
	if ep := inv.Matching("POST", "/commerce/v2/201/login"); ep != nil {
		t.Fatalf("Matching(/commerce/v2/201/login) = %v, want none", ep)
	}
	if ep := inv.Matching("DELETE", "/commerce/v1/201/login"); ep != nil {
		t.Fatalf("Matching(DELETE) = %v, want none", ep)
	}
}
