//go:build cgo

package static

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// flaskLister runs scripts such as flaskRoutes in app directories from one
// Python process that has imported Flask once: for each directory it forks
// a child, which changes into the directory, runs the script there (so the
// app's modules are imported afresh, and nothing one app does reaches the
// next) and exits. Starting an interpreter and importing Flask for each of
// about a hundred apps was most of the package's test time.
type flaskLister struct {
	mu  sync.Mutex // one run at a time (parallel subtests share a lister)
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	tmp string
	n   int
}

// flaskZygote preloads what most labs and fixtures import, then reads
// "DIR<TAB>SCRIPT-FILE<TAB>OUTPUT-FILE" lines and answers each with the
// child's exit code once it has exited.
const flaskZygote = `
import importlib, os, sys, traceback
for name in ("flask", "werkzeug.security", "werkzeug.exceptions", "jwt", "flask_jwt_extended",
             "flask_restful", "secrets", "hmac", "hashlib", "threading", "functools", "datetime", "json"):
    try:
        importlib.import_module(name)
    except Exception:
        pass
for line in sys.stdin:
    d, script, out = line.rstrip("\n").split("\t")
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.chdir(d)
            sys.path_importer_cache.clear()  # finders hold the directory they were made in
            importlib.invalidate_caches()
            with open(script) as f:
                src = f.read()
            exec(compile(src, "<script>", "exec"), {"__name__": "__main__"})
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
`

// newFlaskLister starts the Python process with env added to the
// environment of every run; it stops when the test ends.
func newFlaskLister(t *testing.T, env ...string) *flaskLister {
	t.Helper()
	cmd := exec.Command("/usr/bin/python3", "-c", flaskZygote)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting /usr/bin/python3 (run make deps): %v", err)
	}
	l := &flaskLister{cmd: cmd, in: in, out: bufio.NewReader(out), tmp: t.TempDir()}
	t.Cleanup(func() {
		_ = in.Close()
		_ = cmd.Wait()
	})
	return l
}

// run runs script in dir and returns what it printed (standard output and
// error), with an error when it failed, like exec.Cmd.CombinedOutput.
func (l *flaskLister) run(dir, script string) ([]byte, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	sf := filepath.Join(l.tmp, fmt.Sprintf("script%d.py", l.n))
	of := filepath.Join(l.tmp, fmt.Sprintf("out%d.txt", l.n))
	if err := os.WriteFile(sf, []byte(script), 0o600); err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(l.in, "%s\t%s\t%s\n", abs, sf, of); err != nil {
		return nil, fmt.Errorf("python: %w", err)
	}
	line, err := l.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("python exited: %w", err)
	}
	out, _ := os.ReadFile(of)
	if code := strings.TrimSpace(line); code != "0" {
		return out, fmt.Errorf("exit status %s", code)
	}
	return out, nil
}
