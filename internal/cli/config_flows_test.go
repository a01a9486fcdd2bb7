package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigFlowsBodiesThrowaway: the flows:, bodies: and throwaway keys
// parse, and a typo in a flow is an error (strict config).
func TestConfigFlowsBodiesThrowaway(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte(`identities:
  tess:
    login: {url: /login, json: {username: tess, password: pw}, token: access_token}
    throwaway: true
flows:
  logout: {method: DELETE, url: /api/session}
  password_change: {url: /api/me/pw, json: {old: "{password}", new: "{new_password}"}}
  refresh_token: data.refresh
bodies:
  "POST /api/items": {name: widget, qty: 2}
`), 0o600)
	c, err := LoadConfig(good)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Identities[0].Throwaway {
		t.Error("throwaway not read")
	}
	if c.Flows.Logout == nil || c.Flows.Logout.Method != "DELETE" || c.Flows.PasswordChange.JSON["new"] != "{new_password}" || c.Flows.RefreshToken != "data.refresh" {
		t.Errorf("flows: %+v", c.Flows)
	}
	if b, ok := c.Bodies["POST /api/items"].(map[string]any); !ok || b["name"] != "widget" {
		t.Errorf("bodies: %+v", c.Bodies)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("flows:\n  logout: {methd: POST, url: /x}\n"), 0o600)
	if _, err := LoadConfig(bad); err == nil {
		t.Error("a typo in flows: was accepted")
	}
}
