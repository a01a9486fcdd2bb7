//go:build cgo

package static

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/static/exact"
)

// TestExactStandIns: an app that imports only with stand-ins is imported,
// and each stand-in is named. Found where the static model places its
// factory (service/core, imported from service/ though service is no
// package); the factory's required config name guessed; a name the
// installed Flask lacks given to it; a required environment variable set
// to a placeholder; an installed library called with an argument its
// version does not take replaced; flask_restx, missing and a
// route-registering extension, stubbed and named apart, so its route
// stays the static model's while Flask's own routes come from the app.
func TestExactStandIns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := "testdata/exactstandins"
	p, _, err := AnalyzeWith(context.Background(), dir, Options{Import: &exact.Options{Python: labtest.Python}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Mode != "exact" {
		t.Fatalf("not imported: %s", p.ModeNote)
	}
	for _, want := range []string{
		"imported core:create_app('default')",
		"route-registering extensions stubbed: flask_restx",
		"installed libraries of another version replaced: flask_httpauth",
		"stubbed names: flask.authprobe_name_flask_lacks",
		"environment set: AUTHPROBE_FIXTURE_DATABASE_URL",
	} {
		if !strings.Contains(p.ModeNote, want) {
			t.Errorf("mode note %q lacks %q", p.ModeNote, want)
		}
	}
	var have []string
	for _, r := range p.Routes {
		for _, m := range r.Methods {
			have = append(have, m+" "+r.Rule)
		}
	}
	sort.Strings(have)
	want := "DELETE /api/default/items/<int:item_id> GET /api/default/items GET /api/default/items/<int:item_id> GET /restx/items"
	if strings.Join(have, " ") != want {
		t.Errorf("routes %q, want %q", have, want)
	}
	// The static model placed the blueprint's routes without the prefix
	// the factory computes from its argument: Flask's rules replace them,
	// and they are listed as dropped.
	var dropped []string
	for _, d := range p.Dropped {
		dropped = append(dropped, d.Method+" "+d.Rule)
	}
	sort.Strings(dropped)
	if got := strings.Join(dropped, " "); got != "DELETE /items/<int:item_id> GET /items GET /items/<int:item_id>" {
		t.Errorf("dropped %q", got)
	}
}
