package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	t.Parallel()
	info := func(v string, ok bool) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: v}}, ok }
	}
	cases := []struct {
		stamped string
		info    func() (*debug.BuildInfo, bool)
		want    string
	}{
		{"1.4.0", info("v0.3.0", true), "1.4.0"},
		{"", info("v0.3.0", true), "v0.3.0"},
		{"", info("(devel)", true), "devel"},
		{"", info("", false), "devel"},
	}
	for _, c := range cases {
		if got := resolveVersion(c.stamped, c.info); got != c.want {
			t.Errorf("resolveVersion(%q) = %q, want %q", c.stamped, got, c.want)
		}
	}
}

// TestVersionStamp builds the binary with -ldflags -X and reads the
// version back from --version and from a result.
func TestVersionStamp(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t) // stamped with testVersion
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), testVersion) {
		t.Fatalf("--version: %v %q", err, out)
	}
	app := filepath.Join(dir, "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "app.py"), []byte("from flask import Flask\napp = Flask(__name__)\n\n@app.get('/health')\ndef health():\n    return 'ok'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := exec.Command(bin, "code", app, "--format", "json", "--fail-on", "none").Output()
	if err != nil || !strings.Contains(string(res), `"version": "`+testVersion+`"`) {
		t.Fatalf("code --format json: %v %.300s", err, res)
	}
}
