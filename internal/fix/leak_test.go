package fix

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

const leakSrc = `@app.get("/api/me")
@login_required
def me():
    return jsonify(public(g.user))


@app.get("/directory")
def directory():
    return jsonify(users=[dict(username=u["username"], token=token(u, ttl=None)) for u in USERS.values()])


@app.get("/debug")
def debug():
    return jsonify([{"name": u["name"], "password": u["pw"]} for u in USERS.values()])
`

// TestLeak: the sensitive fields the scan saw in an answer (Fields) leave
// the dictionary the view builds; a field the view does not build itself
// leaves the finding unpatched.
func TestLeak(t *testing.T) {
	for _, c := range []struct {
		path   string
		fields []string
		want   string // the line after, "" when not patched
	}{
		{"/directory", []string{"token"}, `    return jsonify(users=[dict(username=u["username"]) for u in USERS.values()])`},
		{"/debug", []string{"password"}, `    return jsonify([{"name": u["name"]} for u in USERS.values()])`},
		{"/api/me", []string{"api_key"}, ""},
		{"/debug", nil, ""},
	} {
		f := finding.Finding{Rule: "leak.sensitive-data", Source: "dynamic", Fields: c.fields,
			Endpoint: &finding.Endpoint{Method: "GET", Path: c.path}, Location: &finding.Location{File: "app.py", Line: 1}}
		f.ComputeFingerprint()
		pl := makeIn(t, leakSrc, f)
		fx := pl.Fixes[0]
		if c.want == "" {
			if fx.Patched {
				t.Errorf("%s %v: patched, want unpatched:\n%s", c.path, c.fields, pl.New["app.py"])
			}
			continue
		}
		if !fx.Patched {
			t.Fatalf("%s: not patched: %s", c.path, fx.Reason)
		}
		if !strings.Contains(string(pl.New["app.py"]), c.want+"\n") {
			t.Errorf("%s: patched:\n%s\nwant the line\n%s", c.path, pl.New["app.py"], c.want)
		}
	}
}

// TestRouteAuthFromAnonymousLeak: a route only the code says lacks auth
// gets its siblings' decorator when the scan served users' secrets there
// without credentials, not otherwise; and the leak's change, which removes
// the call another finding's change edited, closes that finding too.
func TestRouteAuthFromAnonymousLeak(t *testing.T) {
	ep := &finding.Endpoint{Method: "GET", Path: "/directory"}
	route := finding.Finding{Rule: "py.route-missing-auth", Source: "static", Endpoint: ep, Location: &finding.Location{File: "app.py", Line: 7}}
	ttl := finding.Finding{Rule: "py.jwt-no-expiry", Source: "static", Location: &finding.Location{File: "app.py", Line: 9}}
	leak := finding.Finding{Rule: "leak.sensitive-data", Source: "dynamic", Endpoint: ep, Fields: []string{"token"}, Location: &finding.Location{File: "app.py", Line: 8}}
	for _, f := range []*finding.Finding{&route, &ttl, &leak} {
		f.ComputeFingerprint()
	}
	if fx := makeIn(t, leakSrc, route).Fixes[0]; fx.Patched {
		t.Errorf("the code alone added auth: %s", fx.What)
	}
	authed := leak
	authed.Identity = "alice"
	authed.ComputeFingerprint()
	if fx := makeIn(t, leakSrc, route, authed).Fixes[0]; fx.Patched {
		t.Errorf("a leak to a signed-in identity added auth: %s", fx.What)
	}
	pl := makeIn(t, leakSrc, route, ttl, leak)
	if fx := pl.Fixes[0]; !fx.Patched || !strings.Contains(string(pl.New["app.py"]), "@app.get(\"/directory\")\n@login_required\ndef directory") {
		t.Errorf("route not given the siblings' decorator (%s):\n%s", fx.Reason, pl.New["app.py"])
	}
	if fx := pl.Fixes[1]; !fx.Patched || fx.coveredBy != leak.Fingerprint {
		t.Errorf("the no-expiry finding is not closed by the leak's change: %+v", fx)
	}
	if strings.Contains(string(pl.New["app.py"]), "ttl=None") || !strings.Contains(pl.Diff(), "leak.sensitive-data ("+short(leak.Fingerprint)) {
		t.Errorf("patch:\n%s", pl.Diff())
	}
}

// makeIn plans the patch of one app.py holding src for the findings.
func makeIn(t *testing.T, src string, fs ...finding.Finding) *Plan {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	pl, err := Make(context.Background(), dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// TestImportsStack: two findings whose changes each add an import at the
// top of the file (hmac for a key comparison, os for the debug flag) are
// both patched; the imports do not clash.
func TestImportsStack(t *testing.T) {
	src := "from flask import Flask\napp = Flask(__name__)\n\n\ndef check(k):\n    return k == KEY\n\n\nif __name__ == \"__main__\":\n    app.run(debug=True)\n"
	cmp := finding.Finding{Rule: "py.apikey-timing-compare", Source: "static", Confidence: finding.Firm, Location: &finding.Location{File: "app.py", Line: 6}}
	dbg := finding.Finding{Rule: "py.flask-debug", Source: "static", Location: &finding.Location{File: "app.py", Line: 10}}
	cmp.ComputeFingerprint()
	dbg.ComputeFingerprint()
	pl := makeIn(t, src, cmp, dbg)
	for _, fx := range pl.Fixes {
		if !fx.Patched {
			t.Errorf("%s not patched: %s", fx.Finding.Rule, fx.Reason)
		}
	}
	if got := string(pl.New["app.py"]); !strings.HasPrefix(got, "import hmac\nimport os\nfrom flask import Flask\n") {
		t.Errorf("patched:\n%s", got)
	}
	patched, err := Copy(pl.Dir, t.TempDir(), "patched")
	if err != nil {
		t.Fatal(err)
	}
	if err := pl.WriteTo(patched); err != nil {
		t.Fatal(err)
	}
	if err := pl.ProveStatic(context.Background(), patched); err != nil {
		t.Fatal(err)
	}
	// The static proof maps lines through both insertions: the debug
	// finding is gone, and nothing is new.
	for _, fx := range pl.Fixes {
		if fx.Proofs.Static == Failed || fx.Proofs.Static == StillOpen || fx.Finding.Rule == "py.flask-debug" && fx.Proofs.Static != Fixed {
			t.Errorf("%s: static %s %v", fx.Finding.Rule, fx.Proofs.Static, fx.Notes)
		}
	}
}
