package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// TestWritesLabsLeaveIdentitiesIntact: with --allow-writes, every write
// endpoint of the writes labs gets a 2xx (the bodies from the spec work),
// nothing is skipped for its body, and afterwards alice, bob and root
// still log in and their notes and the announcements are as before.
func TestWritesLabsLeaveIdentitiesIntact(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"writes", "writes-secure"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := labtest.Start(t, name)
			lists := map[string]string{"alice": "/api/notes", "bob": "/api/notes", "root": "/api/admin/announcements"}
			before := map[string]any{}
			for u, path := range lists {
				before[u] = listOf(t, lab.URL, u, path)
			}
			dir := t.TempDir()
			out, tr := filepath.Join(dir, "result.json"), filepath.Join(dir, "transcript.jsonl")
			code, _, stderr := run("scan", lab.URL, "-c", lab.Config(), "--allow-writes", "--quiet", "--fail-on", "none", "-o", out, "--transcript", tr)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for u, path := range lists {
				if after := listOf(t, lab.URL, u, path); !reflect.DeepEqual(after, before[u]) {
					t.Errorf("%s's %s changed by the scan:\nbefore %v\nafter  %v", u, path, before[u], after)
				}
			}
			ok := map[string]bool{}
			item := regexp.MustCompile(`/[0-9]+$`)
			data, err := os.ReadFile(tr)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
				var e struct {
					Method, URL string
					Status      int
				}
				if err := json.Unmarshal(line, &e); err != nil {
					t.Fatal(err)
				}
				u, err := url.Parse(e.URL)
				if err != nil {
					t.Fatal(err)
				}
				path := u.Path
				if item.MatchString(path) {
					path = item.ReplaceAllString(path, "/{id}")
				}
				if e.Status/100 == 2 {
					ok[e.Method+" "+path] = true
				}
			}
			for _, w := range []string{"POST /api/notes", "PUT /api/notes/{id}", "PATCH /api/notes/{id}", "DELETE /api/notes/{id}",
				"POST /api/admin/announcements", "DELETE /api/admin/announcements/{id}"} {
				if !ok[w] {
					t.Errorf("%s never got a 2xx", w)
				}
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var res report.Result
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				if strings.Contains(w, "writes: skipped") || strings.Contains(w, "check the body") || strings.Contains(w, "not tested") {
					t.Errorf("write not exercised: %s", w)
				}
			}
			for _, w := range res.NotRun {
				if strings.HasPrefix(w, "writes: ") {
					t.Errorf("write not exercised: %s", w)
				}
			}
		})
	}
}

// listOf logs in as user (password user-pw) and GETs path; a login
// throttled by the scan's brute-force check waits its Retry-After.
func listOf(t *testing.T, base, user, path string) any {
	t.Helper()
	var resp *http.Response
	for attempt := 0; ; attempt++ {
		var err error
		resp, err = http.Post(base+"/api/login", "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+user+`-pw"}`))
		if err != nil {
			t.Fatal(err)
		}
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode != http.StatusTooManyRequests || attempt == 3 || secs <= 0 || secs > 5 {
			break
		}
		resp.Body.Close()
		time.Sleep(time.Duration(secs) * time.Second)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("%s no longer logs in: %d %v", user, resp.StatusCode, err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Body.Close()
	var v any
	if err := json.NewDecoder(r2.Body).Decode(&v); err != nil || r2.StatusCode != http.StatusOK {
		t.Fatalf("%s's %s: %d %v", user, path, r2.StatusCode, err)
	}
	return v
}
