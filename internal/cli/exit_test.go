package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/report"
)

const tokA = "tok-alice-0123456789abcdef"

// gatedAPI accepts tokA on every path and refuses anything else.
func gatedAPI(delay time.Duration, hits *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits != nil {
			hits.Add(1)
		}
		time.Sleep(delay)
		if r.Header.Get("Authorization") != "Bearer "+tokA {
			http.Error(w, `{"error":"unauthorized"}`, 401)
			return
		}
		w.Write([]byte(`{"user":"alice","items":[1,2,3]}`))
	})
}

// TestScanExitCodesNeverLie: each case used to exit 0 (or blame the wrong
// thing); the exit code must say what really happened.
func TestScanExitCodesNeverLie(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(gatedAPI(0, &hits))
	defer srv.Close()
	dir := t.TempDir()
	offHost := filepath.Join(dir, "offhost.yaml")
	os.WriteFile(offHost, []byte("identities:\n  alice:\n    login: {url: 'http://evil.example/login', json: {u: a}, token: t}\n"), 0o600)
	badPort := filepath.Join(dir, "port.yaml")
	os.WriteFile(badPort, []byte("identities:\n  alice:\n    login: {url: 'http://127.0.0.1:99999/login', json: {u: a}, token: t}\n"), 0o600)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"header name with a space", []string{"--identity", "a=header:Bad Header:" + tokA}, ExitUsage, "header name"},
		{"CR/LF in a value", []string{"--identity", "a=header:X-Key:" + tokA + "\r\nX-Evil: 1"}, ExitUsage, "control character"},
		{"wrong separator", []string{"--identity", "alice:bearer:" + tokA}, ExitUsage, "NAME=KIND:VALUE"},
		{"negative rate", []string{"--identity", "a=bearer:" + tokA, "--rate", "-1"}, ExitUsage, "--rate"},
		{"negative timeout", []string{"--identity", "a=bearer:" + tokA, "--timeout", "-1s"}, ExitUsage, "--timeout"},
		{"negative concurrency", []string{"--identity", "a=bearer:" + tokA, "--concurrency", "-3"}, ExitUsage, "--concurrency"},
		{"negative budget", []string{"--identity", "a=bearer:" + tokA, "--time-budget", "-5s"}, ExitUsage, "--time-budget"},
		{"output into a missing directory", []string{"--identity", "a=bearer:" + tokA, "-o", filepath.Join(dir, "nope", "r.json")}, ExitUsage, "does not exist"},
		{"off-host login", []string{"-c", offHost}, ExitUsage, "not on the target"},
		{"login port 99999", []string{"-c", badPort}, ExitUsage, "65535"},
		{"budget spent before checks", []string{"--identity", "a=bearer:" + tokA, "--time-budget", "1ns"}, ExitNoTest, "before any check ran"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := hits.Load()
			args := append([]string{"scan", srv.URL, "--endpoint", "GET /api/me", "-q"}, c.args...)
			code, _, stderr := run(args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, c.code, stderr, c.want)
			}
			if strings.Contains(stderr, tokA) || strings.Contains(stderr, tokA[:12]) {
				t.Fatalf("stderr shows the credential: %q", stderr)
			}
			if c.code == ExitUsage && hits.Load() != before {
				t.Fatalf("a usage error sent %d requests", hits.Load()-before)
			}
		})
	}
	if code, _, stderr := run("scan", "http://127.0.0.1:99999", "--endpoint", "GET /x"); code != ExitUsage {
		t.Fatalf("target port 99999: exit %d %s", code, stderr)
	}
}

// TestScanInterruptedInProcess: a cancel with an interrupt cause during
// calibration gives 130 and a JSON result marked incomplete; no identity
// is blamed.
func TestScanInterruptedInProcess(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(gatedAPI(20*time.Millisecond, nil))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "r.json")
	args := []string{"scan", srv.URL, "-q", "-o", out, "--rate", "0",
		"--identity", "alice=bearer:" + tokA, "--identity", "bob=bearer:" + tokA + "b", "--identity", "carol=bearer:" + tokA + "c"}
	for i := range 40 {
		args = append(args, "--endpoint", "GET /api/r"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		ctx, cancel := context.WithCancelCause(context.Background())
		time.AfterFunc(300*time.Millisecond, func() { cancel(&Interrupt{Signal: sig}) })
		var o, e bytes.Buffer
		code := Run(ctx, args, strings.NewReader(""), &o, &e)
		want := ExitInterrupt
		if sig == syscall.SIGTERM {
			want = ExitTerm
		}
		if code != want {
			t.Fatalf("%v: exit %d, stderr %s", sig, code, e.String())
		}
		checkIncomplete(t, out, e.String())
	}
}

// checkIncomplete asserts a valid JSON result marked incomplete, saying
// what ran, and no identity blamed.
func checkIncomplete(t *testing.T, path, stderr string) *report.Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no JSON written: %v (stderr %s)", err, stderr)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if !res.Incomplete || len(res.NotRun) == 0 {
		t.Fatalf("not marked incomplete: %+v", res.NotRun)
	}
	for _, s := range append([]string{stderr}, res.Warnings...) {
		if strings.Contains(s, "does not authenticate") || strings.Contains(s, "preflight") {
			t.Fatalf("an identity is blamed for an interrupt: %s", s)
		}
	}
	return &res
}

// TestSpecCutAtCap: a spec fetched from the target and cut at the body cap
// is refused with a message that says so, never parsed as half an API.
func TestSpecCutAtCap(t *testing.T) {
	t.Parallel()
	big := []byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"` + strings.Repeat("x", 33<<20) + `"}}}}}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/openapi.json" {
			w.Write(big)
			return
		}
		gatedAPI(0, nil).ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, _, stderr := run("scan", srv.URL, "--spec", srv.URL+"/openapi.json", "--identity", "a=bearer:"+tokA, "-q")
	if code != ExitUsage || !strings.Contains(stderr, "was cut") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
