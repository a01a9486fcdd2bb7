package lifecycle

import (
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

func TestRoleOf(t *testing.T) {
	cases := map[string]string{
		"/api/auth/logout":              probe.RoleLogout,
		"/users/sign_out":               probe.RoleLogout,
		"/api/auth/refresh":             probe.RoleRefresh,
		"/api/token/refresh":            probe.RoleRefresh,
		"/api/account/password":         probe.RolePasswordChange,
		"/api/users/{id}/change-passwd": probe.RolePasswordChange,
		"/api/password/forgot":          probe.RoleResetRequest,
		"/api/account/recover":          probe.RoleResetRequest,
		"/forget-password":              probe.RoleResetRequest,
		"/api/password/reset":           probe.RoleResetConfirm,
		"/api/reset-password/request":   probe.RoleResetRequest,
		"/auth/reset_password_request":  probe.RoleResetRequest,
		"/api/password/reset/request":   probe.RoleResetRequest,
		"/api/reset-password/confirm":   probe.RoleResetConfirm,
		"/api/register":                 probe.RoleRegister,
		"/api/auth/login":               "",
		"/api/me":                       "",
		"/api/passports":                "",
	}
	for path, want := range cases {
		if got := probe.RoleOf(path); got != want {
			t.Errorf("probe.RoleOf(%s) = %q, want %q", path, got, want)
		}
	}
}

// TestReserved: lifecycle endpoints are kept from the generic checks by
// path, by a source hint, or by the config's flows.
func TestReserved(t *testing.T) {
	flows := probe.Flows{
		Hints:  map[string]string{"POST /api/token/renew": probe.RoleRefresh},
		Logout: &probe.FlowRequest{URL: "/api/session/end"},
	}
	for _, c := range []struct {
		ep   inventory.Endpoint
		want bool
	}{
		{inventory.Endpoint{Method: "GET", Path: "/api/logout"}, true},
		{inventory.Endpoint{Method: "GET", Path: "/api/password-policy"}, false},
		{inventory.Endpoint{Method: "POST", Path: "/api/password-policy"}, true},
		{inventory.Endpoint{Method: "POST", Path: "/api/token/renew"}, true},
		{inventory.Endpoint{Method: "POST", Path: "/api/session/end"}, true},
		{inventory.Endpoint{Method: "GET", Path: "/api/session/end"}, false},
		{inventory.Endpoint{Method: "POST", Path: "/api/orders"}, false},
		{inventory.Endpoint{Method: "POST", Path: "/api/auth/login"}, false},
	} {
		if got := probe.Reserved(&c.ep, flows); got != c.want {
			t.Errorf("probe.Reserved(%s) = %v, want %v", c.ep.Key(), got, c.want)
		}
	}
}

func TestFillAndWithout(t *testing.T) {
	fl := &flow{method: "POST", url: "http://127.0.0.1/pw"}
	lean := fl.without(changeBody, "password")
	if _, ok := lean.json["current_password"]; ok {
		t.Fatalf("current password kept: %v", lean.json)
	}
	if lean.json["new_password"] != "{new_password}" {
		t.Fatalf("new password dropped: %v", lean.json)
	}
	got := fillAll(map[string]any{"a": "{username}-{new_password}", "n": map[string]any{"t": "{token}"}, "k": 3},
		vars{"username": "u", "new_password": "p", "token": "t1"})
	if got["a"] != "u-p" || got["n"].(map[string]any)["t"] != "t1" || got["k"] != 3 {
		t.Fatalf("fill: %v", got)
	}
}
