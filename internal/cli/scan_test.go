package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

func run(args ...string) (int, string, string) {
	var out, errw bytes.Buffer
	code := Run(context.Background(), labtest.ScanArgs(args), strings.NewReader(""), &out, &errw)
	return code, out.String(), errw.String()
}

func TestScanUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("target: http://127.0.0.1:1\nidentitys: {}\n"), 0o600)
	noCred := filepath.Join(dir, "nocred.yaml")
	os.WriteFile(noCred, []byte("identities:\n  alice: {role: admin}\n"), 0o600)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no target", []string{"scan"}, "no target"},
		{"not http", []string{"scan", "ftp://x"}, "not an http"},
		{"bad identity", []string{"scan", "http://127.0.0.1:1", "--identity", "alice"}, "NAME=KIND:VALUE"},
		{"bad identity kind", []string{"scan", "http://127.0.0.1:1", "--identity", "a=token:x"}, "unknown kind"},
		{"bad fail-on", []string{"scan", "http://127.0.0.1:1", "--fail-on", "severe"}, "unknown severity"},
		{"bad output", []string{"scan", "http://127.0.0.1:1", "-o", "x.pdf"}, "unknown format"},
		{"unknown config field", []string{"scan", "-c", badCfg}, "identitys"},
		{"identity without credential", []string{"scan", "http://127.0.0.1:1", "-c", noCred}, "no credential"},
		{"unknown check", []string{"scan", "http://127.0.0.1:1", "--checks", "jwt.nope"}, "no check matches"},
		{"bad endpoint", []string{"scan", "http://127.0.0.1:1", "--endpoint", "FETCH /x"}, ""},
		{"unknown flag", []string{"scan", "--nope"}, "unknown flag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(c.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want 2; stderr %s", code, stderr)
			}
			if !strings.Contains(stderr, c.want) {
				t.Fatalf("stderr %q does not say %q", stderr, c.want)
			}
		})
	}
}

func TestScanUnreachableTarget(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	code, _, stderr := run("scan", "http://"+addr, "--endpoint", "GET /x", "--timeout", "1s")
	if code != ExitNoTest || !strings.Contains(stderr, "did not answer") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
}

// login gets alice's token from the jwt lab as a user would with curl.
func login(t *testing.T, lab *labtest.Lab) string {
	t.Helper()
	resp, err := http.Post(lab.URL+"/api/login", "application/json", strings.NewReader(`{"username":"alice","password":"alice-pw"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("login: %v %+v", err, body)
	}
	return body.AccessToken
}

func TestScanFlagsAgainstLab(t *testing.T) {
	t.Parallel()
	lab := labtest.Start(t, "jwt")
	tok := login(t, lab)

	t.Run("preflight refuses a token that does not authenticate", func(t *testing.T) {
		code, _, stderr := run("scan", lab.URL, "--identity", "mallory=bearer:"+tok[:len(tok)-4]+"AAAA", "--endpoint", "GET /api/me")
		if code != ExitNoTest || !strings.Contains(stderr, "does not authenticate") {
			t.Fatalf("exit %d, stderr %s", code, stderr)
		}
		if strings.Contains(stderr, tok[:len(tok)-4]) {
			t.Fatal("stderr shows the credential")
		}
	})

	t.Run("one endpoint, json on stdout, txt output, fail-on", func(t *testing.T) {
		txt := filepath.Join(t.TempDir(), "r.txt")
		code, stdout, stderr := run("scan", lab.URL, "--identity", "alice=bearer:"+tok,
			"--endpoint", "GET /api/reports", "--format", "json", "-o", txt, "--fail-on", "critical")
		if code != ExitFindings {
			t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
		}
		var res report.Result
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatalf("stdout is not JSON: %v", err)
		}
		if len(res.Findings) != 1 || res.Findings[0].Rule != "jwt.signature-not-verified" || res.Findings[0].Confidence != "confirmed" {
			t.Fatalf("findings %+v", res.Findings)
		}
		if strings.Contains(stdout, tok) {
			t.Fatal("the credential is printed unredacted")
		}
		data, err := os.ReadFile(txt)
		if err != nil || !strings.Contains(string(data), "jwt.signature-not-verified") {
			t.Fatalf("txt output: %v %s", err, data)
		}
	})

	t.Run("quiet and fail-on none", func(t *testing.T) {
		code, stdout, _ := run("scan", lab.URL, "--identity", "alice=bearer:"+tok, "--endpoint", "GET /api/reports", "--quiet", "--fail-on", "none")
		if code != ExitOK || stdout != "" {
			t.Fatalf("exit %d, stdout %q", code, stdout)
		}
	})

	t.Run("show-secrets", func(t *testing.T) {
		_, stdout, _ := run("scan", lab.URL, "--identity", "alice=bearer:"+tok, "--endpoint", "GET /api/feed", "--show-secrets", "--fail-on", "none", "--no-color")
		if !strings.Contains(stdout, tok) {
			t.Fatalf("--show-secrets did not show the token:\n%s", stdout)
		}
	})

	t.Run("checks and skip", func(t *testing.T) {
		_, stdout, _ := run("scan", lab.URL, "--identity", "alice=bearer:"+tok, "--endpoint", "GET /api/reports", "--skip", "jwt.signature-not-verified", "--format", "json", "--fail-on", "none")
		if strings.Contains(stdout, `"rule": "jwt.signature-not-verified"`) {
			t.Fatal("--skip ignored")
		}
	})

	t.Run("time budget spent before anything ran", func(t *testing.T) {
		code, _, stderr := run("scan", lab.URL, "-c", lab.Config(), "--time-budget", "1ns")
		if code != ExitNoTest {
			t.Fatalf("exit %d, stderr %s", code, stderr)
		}
	})
}

func TestChecksCommand(t *testing.T) {
	t.Parallel()
	code, out, _ := run("checks")
	if code != 0 || !strings.Contains(out, "jwt.alg-none") || !strings.Contains(out, "CWE-347") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	// Check ids (what --checks accepts) and rule ids, each in its section.
	checks, rules, ok := strings.Cut(out, "\nRules: ")
	if !ok || !strings.HasPrefix(checks, "Checks: ") {
		t.Fatalf("no Checks and Rules sections:\n%s", out)
	}
	for _, c := range engine.Registry() {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(c.ID) + `\s`).MatchString(checks) {
			t.Errorf("check id %s is not listed under Checks", c.ID)
		}
		for _, r := range c.Rules {
			if !strings.Contains(rules, r) {
				t.Errorf("rule id %s of %s is not listed under Rules", r, c.ID)
			}
		}
	}
	for _, id := range []string{"jwt.claims", "jwt.jku"} {
		if code, _, stderr := run("scan", "http://127.0.0.1:1", "--identity", "a=bearer:x", "--checks", id, "--dry-run"); strings.Contains(stderr, "no check matches") {
			t.Errorf("--checks %s: exit %d: %s", id, code, stderr)
		}
	}
	code, out, _ = run("checks", "--format", "json")
	var rows []struct{ ID, Kind, Check string }
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) < 10 {
		t.Fatalf("checks --format json: exit %d, %d rows", code, len(rows))
	}
	kinds := map[string]map[string]bool{}
	for _, r := range rows {
		if kinds[r.Kind] == nil {
			kinds[r.Kind] = map[string]bool{}
		}
		kinds[r.Kind][r.ID] = true
		if r.Kind == "probe" && r.Check == "" {
			t.Errorf("json: probe rule %s names no check", r.ID)
		}
	}
	if !kinds["check"]["jwt.claims"] || !kinds["probe"]["jwt.expired-accepted"] {
		t.Errorf("json: check rows %v", kinds["check"])
	}
}
