package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// fixLeft lists, per vulnerable lab, the findings (rule and endpoint) fix
// leaves unpatched, each for its reason (docs/fix.md, "The labs"): a fix
// that is a decision about the application (how registration or a reset
// request answers, what proves who a user is) or siblings that disagree.
// Every other finding of every lab, low and up, must be proven fixed; a
// lab not listed here must have all of its findings proven fixed. So each
// lab passes or fails on its own findings: a lab added later cannot make
// another fail, and one lab's new miss cannot hide in an average.
var fixLeft = map[string][]string{
	"accounts":  {"account.registration-enumeration POST /api/register"},
	"staffdir":  {"account.registration-enumeration POST /api/staff"},
	"restful":   {"authz.missing-authentication GET /api/items/stock-report"},
	"roster":    {"authn.default-credentials POST /login"},
	"kiosk":     {"authn.client-controlled-identity POST /login"},
	"badge":     {"authn.client-controlled-identity POST /login"},
	"headerid":  {"authn.client-controlled-identity GET /tickets"},
	"lifecycle": {"account.reset-token-in-response POST /api/password/forgot", "account.password-change-without-current POST /api/account/password", "account.user-enumeration POST /api/password/forgot"},
	"catalog":   {"authz.missing-authentication POST /api/products/add", "authz.missing-authentication PUT /api/products/{product_id}/label"},
	"profile":   {"account.password-change-without-current PUT /api/users/{username}/password", "session.password-change-not-revoked PUT /api/users/{username}/password"},
	"conduit":   {"account.password-change-without-current PUT /api/user", "account.registration-enumeration POST /api/users"},
	"fastkey":   {"authz.bola GET /api/invoices/{invoice_id}"},
}

// TestFixLabs scans each vulnerable lab with its source, runs fix with
// --run on the result, and checks, lab by lab: no patched lab refuses a
// login; no proof of a patch fails; every unpatched finding says why; and
// every finding (low and up) is proven fixed (dynamic fixed, or static
// fixed for a finding only the source shows) but those fixLeft names for
// the lab, which fix must leave unpatched with its reason.
func TestFixLabs(t *testing.T) {
	names, err := labtest.Names()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	total, proven := 0, 0
	byRule := map[string][2]int{} // rule: findings, proven fixed
	t.Run("labs", func(t *testing.T) {
		for _, name := range names {
			m, err := labtest.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Expect) == 0 {
				continue
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				n, p, rules := fixLab(t, name, fixLeft[name])
				mu.Lock()
				total, proven = total+n, proven+p
				for r, c := range rules {
					byRule[r] = [2]int{byRule[r][0] + c[0], byRule[r][1] + c[1]}
				}
				mu.Unlock()
			})
		}
	})
	if total == 0 {
		return
	}
	for _, r := range slices.Sorted(maps.Keys(byRule)) {
		t.Logf("  %-40s %d of %d proven fixed", r, byRule[r][1], byRule[r][0])
	}
	t.Logf("fix proved %d of %d lab findings fixed (%.0f%%)", proven, total, 100*float64(proven)/float64(total))
}

// fixLab runs scan --source and fix --run on one lab and returns how many
// findings (low and up) it had and how many fix proved fixed, also per rule.
// It fails the lab for each finding not proven fixed but those of left
// (rule and endpoint), and for each of left that fix patched after all.
func fixLab(t *testing.T, name string, left []string) (int, int, map[string][2]int) {
	lab := labtest.Start(t, name)
	dir := t.TempDir()
	result := filepath.Join(dir, "result.json")
	var stdout, stderr bytes.Buffer
	args := []string{"scan", lab.URL, "-c", lab.Config(), "--source", lab.Dir, "--fail-on", "none", "-q", "-o", result}
	if code := Run(context.Background(), labtest.ScanArgs(append(args, lab.Args()...)), nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr.String())
	}
	doc := runFixLab(t, lab, result, dir)
	// The proven fixes as SARIF suggestions (artifactChanges) validate
	// against the SARIF 2.1.0 schema.
	validateSARIFFile(t, filepath.Join(dir, "fix.sarif"))
	res, err := report.ReadJSON(result)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.BrokenLogins) > 0 {
		t.Errorf("the patched lab refuses logins: %v", doc.BrokenLogins)
	}
	byFP := map[string]finding.Finding{}
	for _, f := range res.Findings {
		byFP[f.Fingerprint] = f
		// fix reads the fields these findings proved from Fields, never
		// from the message.
		if (f.Rule == "authz.mass-assignment" || f.Rule == "leak.sensitive-data") && len(f.Fields) == 0 {
			t.Errorf("%s at %v: no fields (%s)", f.Rule, f.Endpoint, f.Message)
		}
	}
	total, proven := 0, 0
	rules := map[string][2]int{}
	seen := map[string]bool{}
	for _, r := range doc.Findings {
		f := byFP[r.Fingerprint]
		bad := []string{"failed", "still open", "broke login"}
		if r.Patched && (slices.Contains(bad, r.Proofs.Static) || slices.Contains(bad, r.Proofs.Dynamic)) {
			t.Errorf("%s at %v: patch proofs %+v: %v", r.Rule, f.Location, r.Proofs, r.Notes)
		}
		if !r.Patched && strings.TrimSpace(r.Reason) == "" {
			t.Errorf("%s: not patched and no reason", r.Rule)
		}
		if f.Severity.Rank() < finding.Low.Rank() {
			continue
		}
		total++
		ok := r.Patched && r.Proven && (r.Proofs.Dynamic == "fixed" || f.Source == "static" && r.Proofs.Static == "fixed")
		c := rules[r.Rule]
		c[0]++
		if ok {
			c[1]++
		}
		rules[r.Rule] = c
		key := r.Rule
		if f.Endpoint != nil {
			key += " " + f.Endpoint.String()
		}
		expectLeft := slices.Contains(left, key)
		seen[key] = true
		switch {
		case ok && expectLeft:
			t.Errorf("%s is now proven fixed: take it out of fixLeft[%q] (and docs/fix.md)", key, name)
		case ok:
		case !r.Patched && expectLeft:
			t.Logf("not patched, as expected: %s at %v: %s", key, f.Location, r.Reason)
		case !r.Patched:
			t.Errorf("not patched: %s at %v: %s", key, f.Location, r.Reason)
		default:
			t.Errorf("patched, not proven fixed: %s: %+v %v\n%s", key, r.Proofs, r.Notes, r.Diff)
		}
		if ok {
			proven++
		}
	}
	for _, k := range left {
		if !seen[k] {
			t.Logf("fixLeft[%q] names %s, which the scan no longer reports", name, k)
		}
	}
	t.Logf("%s: %d of %d findings proven fixed", name, proven, total)
	return total, proven, rules
}

// runFixLab runs fix on a lab's result with the lab's start command.
func runFixLab(t *testing.T, lab *labtest.Lab, result, dir string) fix.Doc {
	t.Helper()
	out := filepath.Join(dir, "fix.json")
	patch := filepath.Join(dir, "fix.patch")
	// The patched copy lives outside labs/: it finds the labs' shared
	// throttle module through PYTHONPATH, and runs with the test throttle.
	lib := filepath.Join(filepath.Dir(lab.Dir), "_lib")
	run := "env PYTHONPATH='" + lib + "' " + strings.Join(labtest.ThrottleEnv, " ") + " " + labtest.Python + " app.py"
	args := []string{"fix", result, "--source", lab.Dir, "-c", lab.Config(), "--run", run,
		"--rate", "0", "-o", out, "-o", patch, "-o", filepath.Join(dir, "fix.sarif"), "-q"}
	if slices.Contains(lab.Manifest.Args, "--allow-writes") {
		args = append(args, "--allow-writes")
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), args, nil, &stdout, &stderr); code != ExitOK && code != ExitFindings {
		t.Fatalf("fix exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc fix.Doc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestFixSecureTwins: the secure twins' source gives fix nothing to patch.
func TestFixSecureTwins(t *testing.T) {
	names, err := labtest.Names()
	if err != nil {
		t.Fatal(err)
	}
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if !strings.HasSuffix(name, "-secure") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(root, name)
			result := filepath.Join(dir, "code.json")
			var stdout, stderr bytes.Buffer
			if code := Run(context.Background(), []string{"code", src, "--fail-on", "none", "-q", "-o", result}, nil, &stdout, &stderr); code != ExitOK {
				t.Fatalf("code exit %d: %s", code, stderr.String())
			}
			out := filepath.Join(dir, "fix.patch")
			if code := Run(context.Background(), []string{"fix", result, "--source", src, "-q", "-o", out}, nil, &stdout, &stderr); code != ExitOK {
				t.Fatalf("fix exit %d: %s", code, stderr.String())
			}
			if b, _ := os.ReadFile(out); len(b) != 0 {
				t.Errorf("fix patches the secure twin:\n%s", b)
			}
		})
	}
}
