package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
)

// TestThrowawaySelfUpdateWithoutRegistration: on labs/profile with its
// registration closed (the scan makes no account) and its one identity
// configured as a throwaway, the self-update mass assignment on PATCH
// /api/me is still proven, by the throwaway on its own record; the secure
// twin yields none. The shape of batch 7's Kenzie APIs (PUT /api, the
// caller's record, no registration the scan can use).
func TestThrowawaySelfUpdateWithoutRegistration(t *testing.T) {
	t.Parallel()
	cfg := `spec: openapi.yaml
identities:
  alice:
    login: {method: POST, url: /api/login, json: {username: alice, password: alice-pw}, token: access_token}
    throwaway: true
`
	for _, name := range []string{"profile", "profile-secure"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.StartEnv(t, name, "PROFILE_NO_REGISTRATION=1")
			path := filepath.Join(t.TempDir(), "authprobe.yaml")
			spec, err := filepath.Abs(filepath.Join(lab.Dir, "openapi.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(cfg, "openapi.yaml", spec, 1)), 0o600); err != nil {
				t.Fatal(err)
			}
			code, res, stderr := runHonestScan(t, lab.URL, "-c", path, "--allow-writes")
			if code != ExitOK && code != ExitFindings {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if len(res.Accounts) != 0 {
				t.Fatalf("accounts = %+v, want none (registration closed)", res.Accounts)
			}
			who := ""
			found := false
			for _, f := range res.Findings {
				if f.Rule == "authz.mass-assignment" && f.Endpoint != nil && f.Endpoint.Method == "PATCH" && f.Endpoint.Path == "/api/me" {
					who, found = f.Identity, true
				}
			}
			if name == "profile-secure" {
				if found {
					t.Errorf("authz.mass-assignment on the secure twin (by %q)", who)
				}
				return
			}
			if !found || who != "alice" {
				t.Errorf("authz.mass-assignment PATCH /api/me by %q (found %v), want alice, the throwaway, on itself", who, found)
			}
		})
	}
}
