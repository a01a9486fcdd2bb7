//go:build unix

package exact

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const python = "/usr/bin/python3"

func writeApp(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listing is every path under dir.
func listing(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	return strings.Join(out, " ")
}

// TestImportLeavesCheckoutAlone: an app that creates its database and
// instance folder at import writes into the scratch copy; the analysed
// tree is the same afterwards, and the routes are still reported with
// paths relative to the project.
func TestImportLeavesCheckoutAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process")
	}
	dir := writeApp(t, `import os
from flask import Flask
os.makedirs("instance", exist_ok=True)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "instance", "app.db"), "w") as f:
    f.write("db")
app = Flask(__name__)

@app.route("/items")
def items():
    return "[]"
`)
	before := listing(t, dir)
	inv, err := Import(context.Background(), dir, Options{Python: python, Target: "app:app"})
	if err != nil {
		t.Fatal(err)
	}
	if after := listing(t, dir); after != before {
		t.Errorf("the import wrote into the checkout: before %q, after %q", before, after)
	}
	found := false
	for _, r := range inv.Served() {
		found = found || r.Rule == "/items" && r.File == "app.py"
	}
	if !found {
		t.Errorf("rules %+v lack /items at app.py", inv.Rules)
	}
}

// TestCancelStopsImport: a cancelled run (what SIGINT/SIGTERM do to the
// CLI's context) stops the import and what it started.
func TestCancelStopsImport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process")
	}
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	dir := writeApp(t, `import os, subprocess, time
child = subprocess.Popen(["sleep", "300"])
with open(os.environ["CHILD_PID_FILE"], "w") as f:
    f.write(str(child.pid))
time.sleep(300)
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Import(ctx, dir, Options{Python: python, Target: "app", Env: []string{"CHILD_PID_FILE=" + pidFile}})
		done <- err
	}()
	var pid int
	for deadline := time.Now().Add(20 * time.Second); pid == 0; {
		if b, err := os.ReadFile(pidFile); err == nil && len(b) > 0 {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("the app never started its child")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled import returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Import did not return after cancel")
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the import's child %d outlived the cancelled run", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
