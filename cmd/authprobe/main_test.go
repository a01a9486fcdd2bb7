package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// asMain is set in the environment of a process that runs this test
// binary as authprobe itself (TestMain): the command's own main, with its
// signal handling and exit codes, without building a second binary.
const asMain = "AUTHPROBE_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main() // exits
	}
	os.Exit(m.Run())
}

// buildBinary returns a binary that runs as authprobe: this test binary,
// whose processes started with the test's environment run main.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(asMain, "1")
	return bin
}

// TestSIGINTDuringScan: SIGINT at 1, 3 and 10 s into a 300-endpoint scan
// with three identities exits 130 and leaves a valid JSON result marked
// incomplete, with no identity blamed. The signal is real: it goes to a
// process running the command's main (buildBinary).
func TestSIGINTDuringScan(t *testing.T) {
	if testing.Short() {
		t.Skip("-short builds no binary (make test sends the real signal)")
	}
	bin := buildBinary(t)
	tokens := map[string]string{"alice": "tok-alice-7f3a9c21e5", "bob": "tok-bob-4d8e1b7a63", "carol": "tok-carol-9b2c6f0d14"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, tok := range tokens {
			if r.Header.Get("Authorization") == "Bearer "+tok {
				fmt.Fprintf(w, `{"user":%q,"path":%q,"items":[1,2,3]}`, name, r.URL.Path)
				return
			}
		}
		http.Error(w, `{"error":"unauthorized"}`, 401)
	}))
	defer srv.Close()
	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("endpoints:\n")
	for i := range 300 {
		fmt.Fprintf(&cfg, "  - GET /api/r%03d\n", i)
	}
	cfg.WriteString("identities:\n")
	for _, name := range []string{"alice", "bob", "carol"} {
		fmt.Fprintf(&cfg, "  %s: {bearer: %s}\n", name, tokens[name])
	}
	cfgPath := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, after := range []time.Duration{time.Second, 3 * time.Second, 10 * time.Second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := filepath.Join(dir, fmt.Sprintf("r-%s.json", after))
			// --rate 100: the scan needs well over 10 s, so every
			// signal lands while it runs.
			cmd := exec.Command(bin, "scan", srv.URL, "-c", cfgPath, "-q", "-o", out, "--rate", "100")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(after)
			_ = cmd.Process.Signal(syscall.SIGINT)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Errorf("SIGINT at %s: still running 30 s later", after)
				return
			}
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Errorf("SIGINT at %s: exit %d, stderr %s", after, code, stderr.String())
				return
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Errorf("SIGINT at %s: no JSON: %v", after, err)
				return
			}
			var res struct {
				Schema     string   `json:"schema"`
				Incomplete bool     `json:"incomplete"`
				NotRun     []string `json:"not_run"`
				Warnings   []string `json:"warnings"`
				Findings   []any    `json:"findings"`
			}
			if err := json.Unmarshal(data, &res); err != nil || res.Schema != "authprobe/v1" {
				t.Errorf("SIGINT at %s: invalid JSON result: %v", after, err)
				return
			}
			if !res.Incomplete || len(res.NotRun) == 0 {
				t.Errorf("SIGINT at %s: not marked incomplete (not_run %q)", after, res.NotRun)
			}
			for _, s := range append(res.Warnings, stderr.String()) {
				if strings.Contains(s, "does not authenticate") || strings.Contains(s, "preflight") {
					t.Errorf("SIGINT at %s: an identity is blamed: %s", after, s)
				}
			}
		}()
	}
	wg.Wait()
}
