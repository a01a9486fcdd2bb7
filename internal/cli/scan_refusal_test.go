package cli

import (
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/labtest"
)

// TestRefusalStyles runs the whole catalogue against the tenantbank lab and
// its secure twin with every way the API can say no — HTTP 200 with
// {"success": false}, a 302 to /login, 404, 422, a consistent 500, the HTML
// sign-in page with a 200, a 401 with an HTML page, a 403 {"detail": ...}
// and an empty 204 —
// and expects exactly the manifest's findings each time (the twin: none).
// One refusal oracle decides refused or served for every check; a check
// that judged by the status code alone would miss or invent findings in
// some of the styles.
//
// catalog (a key that guards deletion only, open writes, public reads) and
// its twin take the styles labs/_lib/labrefusal.py imposes on the
// refusals they mark: a second shape of API for the same oracle. roster
// (session cookies from a JSON login, a login comparing the request with
// literals, an anonymous list of members, a TRACE dump) and its twin take
// the status styles (200 envelope, 302, 404, 422, 500) on their login
// gate: the logins' checks (default credentials, brute force) and the
// data-exposure checks decide through the same oracle.
func TestRefusalStyles(t *testing.T) {
	schema := resultSchema(t)
	for _, name := range []string{"tenantbank", "tenantbank-secure", "catalog", "catalog-secure", "roster", "roster-secure"} {
		for _, style := range refusalStyles[name] {
			t.Run(name+"/"+style, func(t *testing.T) {
				t.Parallel()
				lab := labtest.StartEnv(t, name, "REFUSAL="+style)
				res, _ := scanLab(t, lab, schema)
				var want, got []string
				for _, e := range lab.Manifest.Expect {
					want = append(want, e.Rule+" @ "+e.Endpoint)
				}
				for _, f := range res.Findings {
					if f.Severity.Rank() >= finding.Low.Rank() && f.Endpoint != nil {
						got = append(got, f.Rule+" @ "+f.Endpoint.String())
					}
				}
				sort.Strings(want)
				sort.Strings(got)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("refusing with %s: findings\n  %s\nwant\n  %s", style, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
				if !res.Graded && name == "tenantbank-secure" {
					t.Errorf("refusing with %s: the twin was not graded: %v", style, res.NotGraded)
				}
			})
		}
	}
}

// refusalStyles are the REFUSAL values each lab takes.
var refusalStyles = map[string][]string{
	"tenantbank":        {"302", "404", "422", "500", "login200", "401html", "403detail", "204"},
	"tenantbank-secure": {"302", "404", "422", "500", "login200", "401html", "403detail", "204"},
	"catalog":           {"login200", "401html", "403detail", "204"},
	"catalog-secure":    {"login200", "401html", "403detail", "204"},
	"roster":            {"200", "302", "404", "422", "500"},
	"roster-secure":     {"200", "302", "404", "422", "500"},
}
