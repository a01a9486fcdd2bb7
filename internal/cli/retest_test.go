package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
)

func init() {
	labHooks["jwt"] = append(labHooks["jwt"], labHook{"retest-after-fix", testRetestAfterFix})
}

// testRetestAfterFix (TestLabs/jwt/retest-after-fix) takes the jwt lab's
// scan, fixes one route in a copy of the lab (GET /api/reports verifies its
// signature again) and retests the result against the copy: that finding
// is fixed, every other one still open, in well under a tenth of the
// scan's requests; exit 1 as findings remain.
func testRetestAfterFix(t *testing.T, lab *labtest.Lab, res *report.Result, _ string) {
	// Signatures anyone can make are shown whole; a forgery that keeps the
	// identity's real signature is not.
	for _, f := range res.Findings {
		if f.Evidence == nil || f.Replay == nil || len(f.Replay.Creds) == 0 {
			continue
		}
		redacted := strings.Contains(f.Evidence.Curl, "redacted")
		switch forge := f.Replay.Creds[0].Forge; forge {
		case "stripped", "random-signature", "blank-secret", "none":
			if redacted {
				t.Errorf("%s (%s): reproduce line redacted: %s", f.Rule, forge, f.Evidence.Curl)
			}
		case "tampered":
			if !redacted {
				t.Errorf("%s (%s): the identity's signature is shown: %s", f.Rule, forge, f.Evidence.Curl)
			}
		}
	}
	saved := filepath.Join(t.TempDir(), "result.json")
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(saved, data, 0o600); err != nil {
		t.Fatal(err)
	}

	fixed := copyLab(t, lab.Dir)
	app := filepath.Join(fixed, labtest.AppFile)
	src, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	bug := `options={"verify_signature": False})`
	if !bytes.Contains(src, []byte(bug)) {
		t.Fatalf("the jwt lab no longer has %s", bug)
	}
	if err := os.WriteFile(app, bytes.Replace(src, []byte(bug), []byte(`options={"verify_signature": True})`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	copyRunning := labtest.StartDir(t, fixed)

	out := filepath.Join(t.TempDir(), "retest.json")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"retest", saved, copyRunning.URL, "-c", lab.Config(), "-o", out, "--quiet"}, nil, &stdout, &stderr)
	if code != ExitFindings {
		t.Fatalf("retest exit %d, want %d (findings remain): %s", code, ExitFindings, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc scan.Retest
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != len(res.Findings) || len(doc.Findings) == 0 {
		t.Fatalf("retested %d findings of %d", len(doc.Findings), len(res.Findings))
	}
	for _, r := range doc.Findings {
		want := "still open"
		if r.Rule == "jwt.signature-not-verified" {
			want = "fixed"
		}
		if r.Status != want {
			t.Errorf("%s at %v: %s (%s), want %s", r.Rule, r.Endpoint, r.Status, r.Why, want)
		}
	}
	if doc.Stats.Requests*10 >= res.Stats.Requests {
		t.Errorf("retest sent %d requests, the scan %d: want well under a tenth", doc.Stats.Requests, res.Stats.Requests)
	}
	t.Logf("retest: %d requests (scan: %d); %d still open, %d fixed", doc.Stats.Requests, res.Stats.Requests, doc.Stats.StillOpen, doc.Stats.Fixed)
	if strings.Contains(string(raw), "eyJ") {
		t.Errorf("the retest output carries a token")
	}
}

// copyLab copies a lab's files (not its subdirectories) to a new directory.
func copyLab(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestRetestExitCodes: an unreadable result is a usage error; a target that
// answers nothing could not be tested.
func TestRetestExitCodes(t *testing.T) {
	dir := t.TempDir()
	var o, e bytes.Buffer
	if code := Run(context.Background(), []string{"retest", filepath.Join(dir, "missing.json")}, nil, &o, &e); code != ExitUsage {
		t.Errorf("missing result: exit %d, want %d", code, ExitUsage)
	}
	saved := filepath.Join(dir, "r.json")
	doc := `{"schema":"authprobe/v1","tool":{"name":"authprobe","version":"0"},"target":"http://127.0.0.1:1","stats":{"requests":1,"endpoints":1,"duration_ms":1},
"findings":[{"fingerprint":"00","rule":"authz.missing-authentication","title":"t","severity":"high","confidence":"firm","cwe":["CWE-306"],"owasp":[],
"endpoint":{"method":"GET","path":"/x"},"location":null,"message":"m","remediation":"r","replay":{"method":"GET","path":"/x","status":200}}]}`
	if err := os.WriteFile(saved, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	o.Reset()
	e.Reset()
	if code := Run(context.Background(), []string{"retest", saved, "--timeout", "1s", "--quiet"}, nil, &o, &e); code != ExitNoTest {
		t.Errorf("unreachable target: exit %d, want %d (%s)", code, ExitNoTest, e.String())
	}
}

// TestRetestRejectsUnsendableIdentity: retest sets a scan up as scan does,
// so an identity scan refuses before the first request (a header name with
// a space, CR/LF in a value, a login off the target) is refused by retest
// the same way: exit 2, the same message, nothing sent.
func TestRetestRejectsUnsendableIdentity(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(gatedAPI(0, &hits))
	defer srv.Close()
	dir := t.TempDir()
	offHost := filepath.Join(dir, "offhost.yaml")
	if err := os.WriteFile(offHost, []byte("identities:\n  alice:\n    login: {url: 'http://evil.example/login', json: {u: a}, token: t}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "r.json")
	doc := `{"schema":"authprobe/v1","tool":{"name":"authprobe","version":"0"},"target":"` + srv.URL + `","stats":{"requests":1,"endpoints":1,"duration_ms":1},
"findings":[{"fingerprint":"00","rule":"authz.missing-authentication","title":"t","severity":"high","confidence":"firm","cwe":["CWE-306"],"owasp":[],
"endpoint":{"method":"GET","path":"/api/me"},"location":null,"message":"m","remediation":"r","replay":{"method":"GET","path":"/api/me","status":200}}]}`
	if err := os.WriteFile(saved, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"header name with a space", []string{"--identity", "a=header:Bad Header:" + tokA}, "header name"},
		{"CR/LF in a value", []string{"--identity", "a=header:X-Key:" + tokA + "\r\nX-Evil: 1"}, "control character"},
		{"off-host login", []string{"-c", offHost}, "not on the target"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := hits.Load()
			scanCode, _, scanErr := run(append([]string{"scan", srv.URL, "--endpoint", "GET /api/me", "-q"}, c.args...)...)
			code, _, stderr := run(append([]string{"retest", saved, "-q"}, c.args...)...)
			if code != ExitUsage || code != scanCode || !strings.Contains(stderr, c.want) {
				t.Fatalf("retest: exit %d, stderr %q; scan: exit %d, stderr %q (want %d, %q)", code, stderr, scanCode, scanErr, ExitUsage, c.want)
			}
			if stderr != scanErr {
				t.Errorf("retest says %q, scan %q", stderr, scanErr)
			}
			if strings.Contains(stderr, tokA[:12]) {
				t.Errorf("stderr shows the credential: %q", stderr)
			}
			if hits.Load() != before {
				t.Errorf("a refused identity sent %d requests", hits.Load()-before)
			}
		})
	}
}
