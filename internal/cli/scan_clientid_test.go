package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// TestClientIdentity scans the spoofid lab and its twin with --source: the
// source shows two more request values that name the caller besides the
// X-User header the identities send (an X-Role header compared with
// "admin", a plain `user` cookie, an owner field the body is merged over),
// and each is proven over HTTP as its own finding, pinned to the line that
// reads it; the static finding of the admin route (no authentication) is
// merged into the X-Role one. The twin, which takes the
// caller from the token only, yields none.
//
// Both take every status style of labs/_lib/labrefusal.py on their gates'
// refusals (as written, a 200 envelope, a 302 to /login, 404, 422, a
// steady 500), with the same findings each time: a refusal whose status
// does not say so on its own (404, 422, 500) is the API's refusal of a
// caller only when it is the answer a request without credentials got
// where an identity was served, and the made-up value's control must be
// refused in that same style.
func TestClientIdentity(t *testing.T) {
	want := map[string]string{
		"spoofid": "GET /api/admin/stats @ app.py: if request.headers.get(\"X-Role\") != \"admin\":\n" +
			"GET /api/dashboard @ app.py: name = request.cookies.get(\"user\") or caller()\n" +
			"GET /api/profile @ app.py: name = request.headers.get(\"X-User\", user)\n" +
			"POST /api/notes @ app.py: note.update(request.get_json(silent=True) or {})",
		"spoofid-secure": "",
	}
	for name, exp := range want {
		for _, style := range clientIDStyles {
			t.Run(name+"/"+style, func(t *testing.T) {
				t.Parallel()
				clientIdentityScan(t, name, style, exp)
			})
		}
	}
}

// clientIDStyles are the REFUSAL styles spoofid and its twin are scanned
// in ("asis": as written, 401 and 403).
var clientIDStyles = []string{"asis", "200", "302", "404", "422", "500"}

func clientIdentityScan(t *testing.T, name, style, exp string) {
	t.Helper()
	lab := labtest.StartEnv(t, name, "REFUSAL="+style)
	dir := t.TempDir()
	out := filepath.Join(dir, "result.json")
	var stdout, stderr bytes.Buffer
	args := []string{"scan", lab.URL, "-c", filepath.Join(lab.Dir, "authprobe.yaml"), "--source", lab.Dir,
		"--allow-writes", "--fail-on", "none", "-o", out}
	if code := Run(context.Background(), labtest.ScanArgs(args), nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		// One weakness, one finding: the admin route that static
		// analysis sees without authentication is the X-Role one.
		if f.Rule == "py.route-missing-auth" {
			t.Errorf("static %s at %v not merged into the client-controlled identity it explains", f.Rule, f.Location)
		}
		if f.Rule == "authn.client-controlled-identity" && f.Endpoint.String() == "GET /api/admin/stats" && f.Source != "both" {
			t.Errorf("GET /api/admin/stats: source %q, want both (static and dynamic)", f.Source)
		}
		if f.Rule != "authn.client-controlled-identity" && f.Rule != "authz.mass-assignment" {
			continue
		}
		line := "?"
		if f.Location != nil {
			line = f.Location.File + ": " + strings.TrimSpace(sourceLine(t, filepath.Join(lab.Dir, f.Location.File), f.Location.Line))
		}
		got = append(got, f.Endpoint.String()+" @ "+line)
		if f.Evidence == nil || f.Evidence.Curl == "" || f.Evidence.Control == "" {
			t.Errorf("%s: no proving request or control: %+v", f.Endpoint, f.Evidence)
		}
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != exp {
		t.Errorf("refusing with %s: findings\n  %s\nwant\n  %s", style, strings.Join(got, "\n  "), strings.ReplaceAll(exp, "\n", "\n  "))
	}
}
