//go:build cgo

package static

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static/exact"
)

// TestPartialApp: an imported app that serves a small part of what the
// static model places (another entry point, an app the stand-ins let
// build only partly) does not replace the static routes; an app that
// serves the routes at other paths (the static model's prefixes wrong)
// does, as does one that serves them all.
func TestPartialApp(t *testing.T) {
	dir := t.TempDir()
	src := "from flask import Flask\napp = Flask(__name__)\n"
	for i := range 12 {
		src += fmt.Sprintf("\n\n@app.route(\"/r%d\")\ndef r%d():\n    return \"\"\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	rules := func(prefix string, n int) *exact.Inventory {
		inv := &exact.Inventory{Target: "app:app"}
		for i := range n {
			inv.Rules = append(inv.Rules, exact.Rule{Rule: fmt.Sprintf("%s/r%d", prefix, i), Endpoint: fmt.Sprintf("r%d", i), Methods: []string{"GET"}})
		}
		return inv
	}
	if why := partialApp(proj, rules("", 2)); !strings.Contains(why, "serves 2 route(s) while the static model places 12 (2 in common)") {
		t.Errorf("2 of 12 served: %q", why)
	}
	for name, inv := range map[string]*exact.Inventory{"all": rules("", 12), "moved": rules("/api", 12), "half": rules("", 6)} {
		if why := partialApp(proj, inv); why != "" {
			t.Errorf("%s: %q", name, why)
		}
	}
}
