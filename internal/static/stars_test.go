package static

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestStarImports: a name a package re-exports with `from X import *`
// resolves to its definition; the last star import defining it wins, as
// in Python, and names with a leading underscore are not exported.
func TestStarImports(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"pkg/__init__.py": "from pkg.a import *\nfrom pkg.b import *\n",
		"pkg/a.py":        "def f():\n    return 'a'\n\ndef only_a():\n    return 1\n",
		"pkg/b.py":        "def f():\n    return 'b'\n\ndef _private():\n    return 2\n",
		"main.py":         "import pkg\n\npkg.f()\n",
	}
	for rel, src := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := proj.Module("main")
	if m == nil {
		t.Fatal("no module main")
	}
	for name, want := range map[string]string{"pkg.f": "pkg/b.py", "pkg.only_a": "pkg/a.py", "pkg._private": ""} {
		_, def := proj.ResolveFunc(m, name)
		got := ""
		if def != nil {
			got = def.File.Path
		}
		if got != want {
			t.Errorf("ResolveFunc(main, %q) in %q, want %q", name, got, want)
		}
	}
}
