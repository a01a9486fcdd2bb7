package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// TestLifecycleLabsLeaveIdentitiesUsable: after a --allow-writes scan that
// logged tokens out and changed and reset the throwaway account's password,
// every identity still logs in with its configured password, and the scan
// reports no account it could not put back. (Brute force is skipped: its
// lockouts are not what is tested here.)
func TestLifecycleLabsLeaveIdentitiesUsable(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"lifecycle", "lifecycle-secure"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.Start(t, name)
			out := filepath.Join(t.TempDir(), "result.json")
			code, _, stderr := run("scan", lab.URL, "-c", lab.Config(), "--allow-writes", "--skip", "apikey.no-bruteforce-protection",
				"--quiet", "--fail-on", "none", "-o", out)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, c := range []struct{ url, user, pw string }{
				{"/api/auth/login", "alice", "alice-pw-1"},
				{"/api/auth/login", "tess", "tess-pw-1"},
				{"/web/login", "carol", "carol-pw-1"},
			} {
				resp, err := http.Post(lab.URL+c.url, "application/json", strings.NewReader(`{"username":"`+c.user+`","password":"`+c.pw+`"}`))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s no longer logs in at %s with the configured password: %d", c.user, c.url, resp.StatusCode)
				}
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var res report.Result
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				if strings.Contains(w, "could not put back") || strings.Contains(w, "no longer logs in") {
					t.Errorf("scan warning: %s", w)
				}
			}
		})
	}
}
