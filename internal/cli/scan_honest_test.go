package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// keyAPI is a small API-key API: /items needs X-API-Key: k1 or k2 and
// refuses others with a 200 error envelope; /slow never answers in time.
func keyAPI(t *testing.T, slowHits *int32) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	items := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Header.Get("X-API-Key") {
		case "k1-7f3a9c2e51d84b06", "k2-c4e8a1f09b2d7e35":
			_, _ = w.Write([]byte(`{"success": true, "items": [{"id": 1, "name": "lamp"}, {"id": 2, "name": "desk"}]}`))
		default:
			_, _ = w.Write([]byte(`{"success": false, "error": "Invalid API key."}`))
		}
	}
	mux.HandleFunc("/items", items)
	mux.HandleFunc("/more/", items)
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(slowHits, 1)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func runHonestScan(t *testing.T, args ...string) (int, *report.Result, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "result.json")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append(append([]string{"scan"}, args...), "-o", out, "--no-color", "--fail-on", "none", "--quiet"), nil, &stdout, &stderr)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("exit %d, no result written: %v (%s)", code, err, stderr.String())
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return code, &res, stderr.String()
}

// TestHangingEndpoint: an endpoint that times out twice is not called
// again; the result says so, and it is not counted as tested.
func TestHangingEndpoint(t *testing.T) {
	t.Parallel()
	var hits int32
	srv := keyAPI(t, &hits)
	_, res, _ := runHonestScan(t, srv.URL, "--endpoint", "GET /items", "--endpoint", "GET /slow", "--timeout", "300ms",
		"--identity", "a=header:X-API-Key:k1-7f3a9c2e51d84b06", "--identity", "b=header:X-API-Key:k2-c4e8a1f09b2d7e35")
	if n := atomic.LoadInt32(&hits); n > 2 {
		t.Errorf("the hanging endpoint was called %d times, want at most 2", n)
	}
	said := false
	for _, n := range res.NotRun {
		said = said || strings.Contains(n, "GET /slow") && strings.Contains(n, "timed out twice")
	}
	if !said {
		t.Errorf("the result does not say GET /slow timed out twice: %v", res.NotRun)
	}
	for _, c := range res.Coverage {
		for _, s := range c.Skipped {
			if s.Endpoint != nil && s.Endpoint.Path == "/slow" && !strings.Contains(s.Reason, "timed out") {
				t.Errorf("%s skips /slow for %q", c.Family, s.Reason)
			}
		}
	}
}

// TestHangingWrite: with --allow-writes, a write that never answers in
// time is called at most twice in the whole scan, whichever phase sends
// it: the registration search, which builds its own requests, counts
// against the same endpoint as the write phase and the checks.
func TestHangingWrite(t *testing.T) {
	t.Parallel()
	var hits, jobs int32
	srv := keyAPI(t, &hits)
	mux := http.NewServeMux()
	mux.HandleFunc("/jobs", func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&jobs, 1)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.Handle("/", srv.Config.Handler)
	both := httptest.NewServer(mux)
	t.Cleanup(both.Close)
	_, res, _ := runHonestScan(t, both.URL, "--endpoint", "GET /items", "--endpoint", "POST /jobs", "--timeout", "300ms", "--allow-writes",
		"--identity", "a=header:X-API-Key:k1-7f3a9c2e51d84b06", "--identity", "b=header:X-API-Key:k2-c4e8a1f09b2d7e35")
	if n := atomic.LoadInt32(&jobs); n > 2 {
		t.Errorf("the hanging write was called %d times, want at most 2", n)
	}
	if !strings.Contains(strings.Join(res.NotRun, "\n"), "POST /jobs: timed out twice") {
		t.Errorf("the result does not say POST /jobs timed out twice: %v", res.NotRun)
	}
}

// TestPartialRunNotGraded: --checks limits the run; the JSON says graded
// false, carries no grade or score, and lists the families that did not
// run. The full run of the same API is graded.
func TestPartialRunNotGraded(t *testing.T) {
	t.Parallel()
	var hits int32
	srv := keyAPI(t, &hits)
	ids := []string{"--endpoint", "GET /items", "--identity", "a=header:X-API-Key:k1-7f3a9c2e51d84b06", "--identity", "b=header:X-API-Key:k2-c4e8a1f09b2d7e35"}
	_, res, _ := runHonestScan(t, append([]string{srv.URL, "--checks", "apikey.in-query"}, ids...)...)
	if res.Graded || res.Grade != "" || res.Score != nil {
		t.Errorf("partial run: graded %v grade %q score %v", res.Graded, res.Grade, res.Score)
	}
	if len(res.NotGraded) == 0 || res.NotGraded[0] != report.Partial || len(res.FamiliesNotRun) == 0 {
		t.Errorf("partial run: not_graded %v, families_not_run %v", res.NotGraded, res.FamiliesNotRun)
	}
	_, full, _ := runHonestScan(t, append([]string{srv.URL}, ids...)...)
	if !full.Graded || full.Grade == "" || full.Score == nil {
		t.Errorf("full run not graded: %v", full.NotGraded)
	}
}

// TestNoIdentityAuthenticates: when no identity authenticates anywhere the
// scan exits 3, and the result file is still written, not graded, naming
// the identities that failed.
func TestNoIdentityAuthenticates(t *testing.T) {
	t.Parallel()
	var hits int32
	srv := keyAPI(t, &hits)
	code, res, stderr := runHonestScan(t, srv.URL, "--endpoint", "GET /items",
		"--identity", "a=header:X-API-Key:wrong-1111111111111", "--identity", "b=header:X-API-Key:wrong-2222222222222")
	if code != ExitNoTest {
		t.Errorf("exit %d, want %d (%s)", code, ExitNoTest, stderr)
	}
	if res.Graded || res.Grade != "" {
		t.Errorf("graded %v grade %q", res.Graded, res.Grade)
	}
	if !strings.Contains(strings.Join(res.NotRun, "\n"), "no identity authenticates") {
		t.Errorf("not_run %v does not say no identity authenticates", res.NotRun)
	}
}

// TestDiscoveredLoginBruteForce: with no identity at all, the login the
// source shows is tried with made-up usernames (--allow-writes): the lab's
// unthrottled login is reported (firm: no account of the scan was used),
// its twin's throttled one is not.
func TestDiscoveredLoginBruteForce(t *testing.T) {
	for _, name := range []string{"headerid", "headerid-secure"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.Start(t, name)
			_, res, _ := runHonestScan(t, lab.URL, "--source", lab.Dir, "--allow-writes")
			var found *finding.Finding
			for i, f := range res.Findings {
				if f.Rule == "apikey.no-bruteforce-protection" && f.Endpoint != nil && f.Endpoint.String() == "POST /login" {
					found = &res.Findings[i]
				}
			}
			switch {
			case name == "headerid" && (found == nil || found.Confidence != finding.Firm):
				t.Errorf("unthrottled login not reported firm: %+v", found)
			case name == "headerid-secure" && found != nil:
				t.Errorf("throttled login reported: %s", found.Message)
			}
		})
	}
}

// TestPreflightDecidesEarly: with credentials that work nowhere, preflight
// stops the scan after the first few endpoints, not after calibrating all
// twenty.
func TestPreflightDecidesEarly(t *testing.T) {
	t.Parallel()
	var hits int32
	srv := keyAPI(t, &hits)
	args := []string{srv.URL, "--identity", "a=header:X-API-Key:wrong-1111111111111", "--identity", "b=header:X-API-Key:wrong-2222222222222"}
	for i := 0; i < 20; i++ {
		args = append(args, "--endpoint", fmt.Sprintf("GET /more/r%02d", i))
	}
	code, res, _ := runHonestScan(t, args...)
	if code != ExitNoTest {
		t.Errorf("exit %d, want %d", code, ExitNoTest)
	}
	// 20 endpoints × (anonymous + 2 identities) is 60 requests; the first
	// six cost 18.
	if res.Stats.Requests > 30 {
		t.Errorf("%d requests before preflight gave up, want it decided after the first endpoints", res.Stats.Requests)
	}
}
