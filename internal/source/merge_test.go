package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static"
)

// TestMergeOwnCause: a route gated only by a header the client sets is,
// for the code analysis, a route without authentication. The proven
// client-controlled identity explains that static finding, so the two are
// one finding (source both) that keeps the line reading the header; a
// missing-authentication finding on the same route still moves to the
// static finding's line.
func TestMergeOwnCause(t *testing.T) {
	src := `from flask import Flask, jsonify, request
app = Flask(__name__)


@app.get("/api/admin/stats")
def admin_stats():
    if request.headers.get("X-Role") != "admin":
        return jsonify(error="Admins only."), 403
    return jsonify(users=3)
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, static, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var st *finding.Finding
	for i, f := range static {
		if f.Rule == "py.route-missing-auth" {
			st = &static[i]
		}
	}
	if st == nil || st.Location == nil {
		t.Fatalf("no static py.route-missing-auth on the header-gated admin route: %v", static)
	}
	read := &finding.Location{File: "app.py", Line: 7}
	for rule, wantLine := range map[string]int{
		"authn.client-controlled-identity": read.Line,
		"authz.missing-authentication":     st.Location.Line,
	} {
		d := finding.Finding{Rule: rule, Severity: finding.High, Source: "dynamic",
			Endpoint: &finding.Endpoint{Method: "GET", Path: "/api/admin/stats"}}
		if rule == "authn.client-controlled-identity" {
			loc := *read
			d.Location = &loc
		}
		out := Merge(proj, static, []finding.Finding{d}, Scan{})
		if len(out) != 1 {
			var rules []string
			for _, f := range out {
				rules = append(rules, f.Rule)
			}
			t.Fatalf("%s: %d findings (%s), want one", rule, len(out), strings.Join(rules, ", "))
		}
		if out[0].Source != "both" || out[0].Location == nil || out[0].Location.Line != wantLine {
			t.Errorf("%s: source %q at %v, want both at line %d", rule, out[0].Source, out[0].Location, wantLine)
		}
	}
}
