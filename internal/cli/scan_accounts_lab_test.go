package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
)

// TestAccountsOneIdentityIsEnough: with one configured identity and
// --allow-writes, the scan of labs/accounts registers its own accounts,
// lists them in the result, and proves BOLA and the list exposure through
// them (the finding's identity is an account it made) and BFLA by method.
func TestAccountsOneIdentityIsEnough(t *testing.T) {
	t.Parallel()
	lab := labtest.Start(t, "accounts")
	code, res, stderr := runHonestScan(t, lab.URL, "-c", lab.Config(), "--allow-writes")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	made := map[string]bool{}
	for _, a := range res.Accounts {
		if a.How != "POST /api/register" || a.State == "" {
			t.Errorf("account %+v: want how POST /api/register and a state", a)
		}
		made[a.Name] = true
	}
	if !made["account-1"] || !made["account-2"] || !made["account-privileged"] {
		t.Fatalf("accounts = %+v, want account-1, account-2 and account-privileged", res.Accounts)
	}
	byRule := map[string]string{}
	for _, f := range res.Findings {
		byRule[f.Rule] = f.Identity
	}
	for _, rule := range []string{"authz.bola", "authz.collection-exposure"} {
		if who, ok := byRule[rule]; !ok || !strings.HasPrefix(who, "account-") {
			t.Errorf("%s: identity %q, want one of the accounts the scan made (found: %v)", rule, who, ok)
		}
	}
	if _, ok := byRule["authz.bfla-method"]; !ok {
		t.Errorf("no authz.bfla-method with one configured identity: %v", byRule)
	}
}

// TestAccountsNeedAllowWrites: without --allow-writes the scan of the same
// lab sends no registration and no other state-changing request: its only
// POST is the configured login.
func TestAccountsNeedAllowWrites(t *testing.T) {
	t.Parallel()
	lab := labtest.Start(t, "accounts")
	dir := t.TempDir()
	out, tr := filepath.Join(dir, "result.json"), filepath.Join(dir, "transcript.jsonl")
	code, _, stderr := run("scan", lab.URL, "-c", lab.Config(), "--quiet", "--fail-on", "none", "-o", out, "--transcript", tr)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var e struct{ Method, URL string }
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		switch e.Method {
		case "GET", "HEAD", "OPTIONS":
		case "POST":
			if !strings.HasSuffix(e.URL, "/api/login") {
				t.Errorf("state-changing request without --allow-writes: %s %s", e.Method, e.URL)
			}
		default:
			t.Errorf("state-changing request without --allow-writes: %s %s", e.Method, e.URL)
		}
	}
	raw, _ := os.ReadFile(out)
	if bytes.Contains(raw, []byte(`"accounts"`)) {
		t.Errorf("accounts listed without --allow-writes")
	}
}

// TestConduitOneIdentityIsEnough: the same on a member that logs in
// through an envelope ({"user": {...}}): labs/conduit scanned with only
// alice configured and --allow-writes registers its own accounts (the
// fields registration asks for go inside the envelope), lists them, and
// proves BOLA on update through them, registration enumeration, and
// mass assignment at registration (an "admin" flag lets its account in),
// and, as issue 20 asks, every other item of its acceptance list: the
// weak secret, no throttling, login enumeration, a password change
// without the current one that revokes nothing, logout that revokes
// nothing, a refresh token accepted as access.
func TestConduitOneIdentityIsEnough(t *testing.T) {
	t.Parallel()
	lab := labtest.Start(t, "conduit")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "authprobe.yaml")
	if err := os.WriteFile(cfg, []byte("spec: "+filepath.Join(lab.Dir, "openapi.yaml")+`
identities:
  alice:
    login:
      method: POST
      url: /api/users/login
      json: {user: {email: alice@conduit.test, password: alice-pw}}
      token: user.token
    throwaway: true
`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, res, stderr := runHonestScan(t, lab.URL, "-c", cfg, "--allow-writes")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	made := map[string]bool{}
	for _, a := range res.Accounts {
		if a.How != "POST /api/users" || a.State == "" {
			t.Errorf("account %+v: want how POST /api/users and a state", a)
		}
		made[a.Name] = true
	}
	if !made["account-1"] {
		t.Fatalf("accounts = %+v, want at least account-1", res.Accounts)
	}
	byRule := map[string]bool{}
	for _, f := range res.Findings {
		if f.Rule == "authz.bola-write" && (f.Endpoint == nil || f.Endpoint.Method != "PUT" || f.Endpoint.Path != "/api/articles/{slug}") {
			t.Errorf("authz.bola-write on %+v, want PUT /api/articles/{slug}", f.Endpoint)
		}
		byRule[f.Rule] = true
	}
	// Issue 20's acceptance: every one of the nine, with one identity and
	// no use: (the token placement, "Token", inferred).
	for _, rule := range []string{
		"jwt.weak-secret",                         // the weak default secret
		"apikey.no-bruteforce-protection",         // missing throttling
		"authz.bola-write",                        // BOLA on update
		"account.user-enumeration",                // enumeration
		"authz.mass-assignment",                   // mass assignment at registration
		"account.password-change-without-current", // password change without the current one
		"session.password-change-not-revoked",     // tokens surviving a password change
		"session.logout-not-revoked",              // logout without revocation
		"session.refresh-as-access",               // refresh accepted as access
		"account.registration-enumeration",
	} {
		if !byRule[rule] {
			t.Errorf("no %s with one configured identity: %v", rule, byRule)
		}
	}
}

// TestProfileAccountsWrittenAndDeleted: on labs/profile (one configured
// identity, --allow-writes) the password change on another member is
// proven by an account the scan made against another one it made (never
// the configured identity), and so is the DELETE of another member; the
// self-update mass assignment by an account on itself; on both the lab
// and its twin every account ends deleted.
func TestProfileAccountsWrittenAndDeleted(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"profile", "profile-secure"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.Start(t, name)
			code, res, stderr := runHonestScan(t, lab.URL, "-c", lab.Config(), "--allow-writes")
			if code != ExitOK && code != ExitFindings {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if len(res.Accounts) != 3 {
				t.Fatalf("accounts = %+v, want three", res.Accounts)
			}
			for _, a := range res.Accounts {
				if !strings.HasPrefix(a.State, "deleted (") {
					t.Errorf("account %s: state %q, want deleted", a.Name, a.State)
				}
			}
			if name == "profile-secure" {
				return
			}
			who := map[string]string{}
			for _, f := range res.Findings {
				if f.Endpoint != nil {
					who[f.Rule+" "+f.Endpoint.Method+" "+f.Endpoint.Path] = f.Identity
				}
			}
			if w, ok := who["authz.bola-write PUT /api/users/{username}/password"]; !ok || !strings.HasPrefix(w, "account-") {
				t.Errorf("authz.bola-write sent by %q (found %v), want an account the scan made", w, ok)
			}
			if w, ok := who["authz.bola-write DELETE /api/users/{username}"]; !ok || !strings.HasPrefix(w, "account-") {
				t.Errorf("authz.bola-write on the DELETE sent by %q (found %v), want an account the scan made", w, ok)
			}
			if w := who["authz.mass-assignment PATCH /api/me"]; w != "account-1" {
				t.Errorf("authz.mass-assignment identity %q, want account-1 (on itself)", w)
			}
		})
	}
}
