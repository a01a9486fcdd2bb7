package labtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/procgroup"
)

// Python is the interpreter the labs run with: Debian's, which has the
// python3-flask, python3-jwt, ... packages scripts/install-deps.sh installs.
const Python = "/usr/bin/python3"

// startTimeout bounds how long a lab may take to answer its first request:
// it catches a lab that hangs, so it is generous (a loaded 2-core machine
// takes seconds to import Flask).
const startTimeout = 60 * time.Second

// starting lets a few labs start at once: Python's imports are CPU-bound,
// and a test that starts sixteen labs together would starve them all.
var starting = make(chan struct{}, 3)

// Lab is a running lab.
type Lab struct {
	Name     string
	Dir      string // the lab's directory
	URL      string // http://127.0.0.1:PORT, no trailing slash
	Manifest Manifest
}

// Config is the path of the lab's scan config (authprobe.yaml).
func (l *Lab) Config() string { return filepath.Join(l.Dir, ConfigFile) }

// Args are the scan flags the manifest asks for (args:), with {dir}
// replaced by the lab's directory (--source {dir}).
func (l *Lab) Args() []string {
	out := make([]string, 0, len(l.Manifest.Args))
	for _, a := range l.Manifest.Args {
		out = append(out, strings.ReplaceAll(a, "{dir}", l.Dir))
	}
	return out
}

// Start runs the named lab on a free loopback port, with ThrottleEnv (the
// settings for a scan: see scan.go), and returns once it answers HTTP. The lab is stopped (its whole process group) when the test
// ends; its output is shown in the test log if the test failed. A missing
// interpreter or Python module fails the test with a pointer to
// scripts/install-deps.sh: labs are never skipped.
func Start(t testing.TB, name string) *Lab {
	t.Helper()
	return StartEnv(t, name)
}

// StartDefaults runs the named lab as a user does (scripts/lab.sh), with
// its own throttle settings: for the tests that check them.
func StartDefaults(t testing.TB, name string) *Lab {
	t.Helper()
	return startNamed(t, name, nil)
}

// StartEnv is Start with extra environment variables ("KEY=value") for the
// lab's process: the switches some labs have (labs/fleet: GATE_DRIFT=1).
func StartEnv(t testing.TB, name string, env ...string) *Lab {
	t.Helper()
	return startNamed(t, name, append(append([]string(nil), ThrottleEnv...), env...))
}

func startNamed(t testing.TB, name string, env []string) *Lab {
	t.Helper()
	skipShort(t, name)
	dir, m, err := prepare(name)
	if err != nil {
		t.Fatal(err)
	}
	lab, err := launch(t, name, dir, m, env)
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

// prepare finds the named lab and reads its manifest.
func prepare(name string) (string, Manifest, error) {
	if _, err := os.Stat(Python); err != nil {
		return "", Manifest{}, fmt.Errorf("lab %s: %s not found: run scripts/install-deps.sh", name, Python)
	}
	root, err := Root()
	if err != nil {
		return "", Manifest{}, fmt.Errorf("lab %s: %w", name, err)
	}
	m, err := Load(name)
	if err != nil {
		return "", Manifest{}, err
	}
	return filepath.Join(root, name), m, nil
}

// StartDir runs a lab generated outside labs/ (its app.py, authprobe.yaml
// and lab.yaml in dir), as Start does, with ThrottleEnv.
func StartDir(t testing.TB, dir string) *Lab {
	t.Helper()
	skipShort(t, dir)
	if _, err := os.Stat(Python); err != nil {
		t.Fatalf("lab %s: %s not found: run scripts/install-deps.sh", dir, Python)
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatalf("lab %s: %v", dir, err)
	}
	m, err := parseManifest(data)
	if err != nil {
		t.Fatalf("lab %s: %v", dir, err)
	}
	lab, err := launch(t, m.Name, dir, m, ThrottleEnv)
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

// skipShort skips the test under -short: no lab process is started.
func skipShort(t testing.TB, name string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("lab %s: -short starts no lab process (make test runs every lab test)", name)
	}
}

// launch starts the lab's process; it may run on any goroutine.
func launch(t testing.TB, name, dir string, m Manifest, env []string) (*Lab, error) {
	// A port picked from a closed listener can be taken before the lab binds
	// it; try again with another one when that happens.
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("lab %s: %w", name, err)
		}
		lab := &Lab{Name: name, Dir: dir, URL: "http://127.0.0.1:" + strconv.Itoa(port), Manifest: m}
		err = lab.run(t, port, env)
		if err == nil {
			return lab, nil
		}
		if errors.Is(err, errPortTaken) && attempt < 3 {
			continue
		}
		return nil, fmt.Errorf("lab %s: %w", name, err)
	}
}

var errPortTaken = errors.New("port already in use")

// run starts the process and waits until it answers or fails.
func (l *Lab) run(t testing.TB, port int, env []string) error {
	starting <- struct{}{}
	defer func() { <-starting }()
	out := &syncBuffer{}
	cmd := exec.Command(Python, AppFile)
	cmd.Dir = l.Dir
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "PYTHONDONTWRITEBYTECODE=1",
		"PYTHONUNBUFFERED=1")
	// A lab copied outside labs/ (StartDir) still finds labs/_lib.
	if root, err := Root(); err == nil {
		cmd.Env = append(cmd.Env, "PYTHONPATH="+filepath.Join(root, "_lib"))
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = out, out
	procgroup.Isolate(cmd, true)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s %s: %w", Python, AppFile, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		procgroup.Kill(cmd, exited)
	}
	// Ready means this process bound the port (werkzeug says "Running on
	// http://127.0.0.1:PORT") and it answers HTTP; an answer alone could come
	// from another process that took the port first.
	bound := func() bool { return strings.Contains(out.String(), "127.0.0.1:"+strconv.Itoa(port)) }
	if err := waitReady(t.Context(), l.URL, exited, bound); err != nil {
		stop()
		return explain(err, out.String())
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("lab %s output:\n%s", l.Name, out.String())
		}
	})
	return nil
}

// explain turns a failed start into an error that says what to do.
func explain(err error, output string) error {
	switch {
	case strings.Contains(output, "ModuleNotFoundError"), strings.Contains(output, "ImportError"):
		return fmt.Errorf("a Python module is missing: run scripts/install-deps.sh\n%s", output)
	case strings.Contains(output, "Address already in use"):
		return fmt.Errorf("%w\n%s", errPortTaken, output)
	}
	return fmt.Errorf("%w\nlab output:\n%s", err, output)
}

// waitReady polls url until an HTTP response comes back once the lab says it
// bound the port, the process exits, or startTimeout passes.
func waitReady(ctx context.Context, url string, exited <-chan struct{}, bound func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/", nil)
		if err != nil {
			return fmt.Errorf("probe %s: %w", url, err)
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if bound() {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the lab exited before answering HTTP")
		case <-ctx.Done():
			return fmt.Errorf("the lab did not answer HTTP at %s within %s", url, startTimeout)
		case <-tick.C:
		}
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer collects the lab's output from the process's writer goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
