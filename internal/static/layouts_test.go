//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// readLines returns the non-empty lines of a file, sorted; nil when the
// file does not exist.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// TestLayouts runs the analysis on each real-world project layout under
// testdata/layouts: the routes must be exactly routes.txt ("METHOD rule"),
// every route-like registration must resolve but those in unresolved.txt
// ("file:line"), and the findings must be exactly the # want comments.
// Layouts with an app.py are also imported with the real Flask, whose
// url_map must be routes.txt too.
func TestLayouts(t *testing.T) {
	dirs, err := filepath.Glob("testdata/layouts/*")
	if err != nil || len(dirs) < 8 {
		t.Fatalf("want at least 8 layouts, found %d (%v)", len(dirs), err)
	}
	var py *flaskLister
	if !testing.Short() {
		py = newFlaskLister(t)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			want := readLines(t, filepath.Join(dir, "routes.txt"))
			if len(want) == 0 {
				t.Fatal("layout has no routes.txt")
			}
			proj, fs, err := Analyze(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			var have []string
			for _, r := range proj.Routes {
				for _, m := range r.Methods {
					have = append(have, m+" "+r.Rule)
				}
			}
			sort.Strings(have)
			if strings.Join(have, "\n") != strings.Join(want, "\n") {
				t.Errorf("routes\n  %s\nwant\n  %s", strings.Join(have, "\n  "), strings.Join(want, "\n  "))
			}
			var unresolved []string
			for _, d := range proj.Decls() {
				if !d.Resolved {
					unresolved = append(unresolved, d.File+":"+strconv.Itoa(d.Line))
				}
			}
			sort.Strings(unresolved)
			if wantU := readLines(t, filepath.Join(dir, "unresolved.txt")); strings.Join(unresolved, " ") != strings.Join(wantU, " ") {
				t.Errorf("unresolved registrations %q, want %q", unresolved, wantU)
			}
			// assumed.txt lists the registrations resolved only by a
			// stated assumption (a loader's dynamic register_blueprint).
			var assumed []string
			for _, d := range proj.Decls() {
				if d.Resolved && d.Assumed != "" {
					assumed = append(assumed, d.File+":"+strconv.Itoa(d.Line))
				}
			}
			sort.Strings(assumed)
			if wantA := readLines(t, filepath.Join(dir, "assumed.txt")); strings.Join(assumed, " ") != strings.Join(wantA, " ") {
				t.Errorf("registrations resolved by assumption %q, want %q", assumed, wantA)
			}
			compare(t, wants(t, dir), got(fs, finding.Info), fs)
			if _, err := os.Stat(filepath.Join(dir, "app.py")); err == nil && !testing.Short() {
				out, err := py.run(dir, strings.Replace(flaskRoutes, `r.endpoint == "static"`, `r.endpoint.split(".")[-1] == "static"`, 1))
				if err != nil {
					t.Fatalf("importing app.py with /usr/bin/python3: %v\n%s", err, out)
				}
				flask := pairs(strings.Fields(string(out)))
				if strings.Join(flask, "\n") != strings.Join(want, "\n") {
					t.Errorf("Flask's url_map\n  %s\ndiffers from routes.txt", strings.Join(flask, "\n  "))
				}
			}
		})
	}
}
