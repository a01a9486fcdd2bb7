package fix

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// plan writes files into a temporary project and plans the fix of one
// finding of rule at the line marked "# <-" in app.py (the marker is
// removed first).
func plan(t *testing.T, rule string, files map[string]string) (*Plan, string) {
	t.Helper()
	return planFinding(t, rule, "", files)
}

func planFinding(t *testing.T, rule, msg string, files map[string]string) (*Plan, string) {
	t.Helper()
	return planWith(t, finding.Finding{Rule: rule, Message: msg}, files)
}

// planWith plans the patch of files for f, placed at the line of app.py
// marked "# <-".
func planWith(t *testing.T, f finding.Finding, files map[string]string) (*Plan, string) {
	t.Helper()
	dir := t.TempDir()
	line := 0
	for name, src := range files {
		if name == "app.py" {
			for i, l := range strings.Split(src, "\n") {
				if strings.Contains(l, "# <-") {
					line = i + 1
				}
			}
			src = strings.ReplaceAll(src, "  # <-", "")
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if line == 0 {
		t.Fatal("no # <- marker in app.py")
	}
	f.Location, f.Source = &finding.Location{File: "app.py", Line: line}, "both"
	if strings.HasPrefix(f.Rule, "py.") {
		f.Source = "static" // as code reports it
	}
	f.ComputeFingerprint()
	pl, err := Make(context.Background(), dir, []finding.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	return pl, dir
}

// fixerCase is one fixer test: a rule at the line marked "# <-" of src and
// the whole file the patch must give.
type fixerCase struct {
	name, rule, src, want string
}

func TestFixers(t *testing.T) {
	for _, c := range append(append([]fixerCase(nil), jwtCases...), appCases...) {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
			if !strings.Contains(pl.Diff(), "fixes "+c.rule+" (") {
				t.Errorf("the hunk does not name the finding it fixes:\n%s", pl.Diff())
			}
		})
	}
}

// TestNotGuessed: where the fix needs knowledge the code does not give,
// the finding is listed with the reason and nothing is edited.
func TestNotGuessed(t *testing.T) {
	cases := []struct {
		name, rule, src, reason string
	}{
		{"issuer algorithm unknown", "py.jwt-no-algorithms", "def me(t):\n    return jwt.decode(t, K)  # <-\n", "algorithm the issuer signs with"},
		{"no one key to verify with", "py.jwt-unverified", "a = jwt.encode(c, A, algorithm=\"HS256\")\nb = jwt.encode(c, B, algorithm=\"HS256\")\ndef me(t):\n    return jwt.decode(t, options={\"verify_signature\": False})  # <-\n", "no key"},
		{"a route the code alone says lacks auth", "py.route-missing-auth", "@app.get(\"/a\")\n@auth\ndef a():\n    pass\n@app.get(\"/c\")  # <-\ndef c():\n    pass\n", "meant to be public"},
		{"only the query string carries the key", "py.credential-in-query", "def k():\n    return request.args.get(\"key\") or \"\"  # <-\n", "only source"},
		{"siblings disagree", "authz.missing-authentication", "@app.get(\"/a\")\n@one\ndef a():\n    pass\n@app.get(\"/b\")\n@two\ndef b():\n    pass\n@app.get(\"/c\")  # <-\ndef c():\n    pass\n", "do not share one auth decorator"},
		{"design decision", "leak.credential-in-response", "def users():\n    return jsonify(USERS)  # <-\n", "which data a response may carry"},
		{"an object read outside a route", "authz.bola", "def get(i):\n    return NOTES[i]  # <-\n", "no route function"},
		{"claim still read", "jwt.sensitive-claims", "c = {\"sub\": u, \"pw_hash\": h}  # <-\nx = claims[\"pw_hash\"]\n", "read elsewhere"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if fx.Patched || len(pl.New) != 0 {
				t.Fatalf("patched, want a reason:\n%s", pl.Diff())
			}
			if !strings.Contains(fx.Reason, c.reason) {
				t.Errorf("reason %q, want it to say %q", fx.Reason, c.reason)
			}
		})
	}
}

// TestNoLocation: a finding without a source line is never patched.
func TestNoLocation(t *testing.T) {
	f := finding.Finding{Rule: "jwt.alg-none", Endpoint: &finding.Endpoint{Method: "GET", Path: "/x"}}
	pl, err := Make(context.Background(), t.TempDir(), []finding.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Fixes[0].Patched || !strings.Contains(pl.Fixes[0].Reason, "no source line") {
		t.Errorf("fix without a location: %+v", pl.Fixes[0])
	}
}

// TestFileForms: a finding's file matches whether the result names it
// relative, with "./" or as an absolute path inside the source directory.
func TestFileForms(t *testing.T) {
	dir := t.TempDir()
	src := "import os\napp.run(debug=True)\n"
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"app.py", "./app.py", filepath.Join(dir, "app.py")} {
		f := finding.Finding{Rule: "py.flask-debug", Source: "static", Location: &finding.Location{File: name, Line: 2}}
		f.ComputeFingerprint()
		pl, err := Make(context.Background(), dir, []finding.Finding{f})
		if err != nil {
			t.Fatal(err)
		}
		if !pl.Fixes[0].Patched {
			t.Errorf("%s: not patched: %s", name, pl.Fixes[0].Reason)
		}
	}
}

// TestTentativeCredential: a tentative static finding that only supposes a
// value is a credential is listed, not patched.
func TestTentativeCredential(t *testing.T) {
	dir := t.TempDir()
	src := "def ok(word):\n    return word in KEYWORDS\n"
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f := finding.Finding{Rule: "py.apikey-timing-compare", Source: "static", Confidence: finding.Tentative, Location: &finding.Location{File: "app.py", Line: 2}}
	f.ComputeFingerprint()
	pl, err := Make(context.Background(), dir, []finding.Finding{f})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Fixes[0].Patched || !strings.Contains(pl.Fixes[0].Reason, "tentative") {
		t.Errorf("tentative credential finding: %+v", pl.Fixes[0])
	}
	f.Confidence = finding.Firm
	if pl, _ = Make(context.Background(), dir, []finding.Finding{f}); !pl.Fixes[0].Patched {
		t.Errorf("firm finding not patched: %s", pl.Fixes[0].Reason)
	}
}
