package labtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fatalRecorder is a testing.TB whose Fatal stops only the calling goroutine
// and keeps the message, so that Start's failures can be asserted.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *fatalRecorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
	runtime.Goexit()
}

// startFailure runs Start on a throw-away lab tree whose app.py is given and
// returns the message Start failed with ("" if it did not fail).
func startFailure(t *testing.T, app string) string {
	skipShort(t, "broken")
	dir := t.TempDir()
	lab := filepath.Join(dir, "labs", "broken")
	if err := os.MkdirAll(lab, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		filepath.Join(dir, "go.mod"):     "module example.com/broken\n",
		filepath.Join(lab, AppFile):      app,
		filepath.Join(lab, ManifestFile): "name: broken\ndescription: a lab that cannot start\nexpect: []\n",
	}
	for path, content := range files {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(lab)
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(rec, "broken")
	}()
	<-done
	return rec.msg
}

func TestStartMissingModule(t *testing.T) {
	msg := startFailure(t, "import authprobe_no_such_module\n")
	if !strings.Contains(msg, "run scripts/install-deps.sh") || !strings.Contains(msg, "authprobe_no_such_module") {
		t.Errorf("Start failed with %q, want a pointer to install-deps and the Python error", msg)
	}
}

func TestStartCrashingLab(t *testing.T) {
	msg := startFailure(t, "import sys\nsys.stderr.write('boom: bad config\\n')\nsys.exit(3)\n")
	if !strings.Contains(msg, "exited before answering") || !strings.Contains(msg, "boom: bad config") {
		t.Errorf("Start failed with %q, want the exit and the lab's stderr", msg)
	}
}

func TestStartUnknownLab(t *testing.T) {
	if msg := startFailure(t, ""); msg == "" {
		t.Fatal("an app.py that exits at once was reported as started")
	}
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(rec, "no-such-lab")
	}()
	<-done
	if !strings.Contains(rec.msg, "no-such-lab") {
		t.Errorf("Start of an unknown lab failed with %q", rec.msg)
	}
}
