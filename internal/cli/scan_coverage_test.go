package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// encrypted tokens (JWE compact form, five parts) are what this API issues:
// authprobe can send them but not forge, tamper with or crack them.
var encrypted = map[string]string{
	"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..a1b2c3d4e5f6a7b8.Y2lwaGVydGV4dGFsaWNl.dGFnYWxpY2U": "alice",
	"eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..b1b2c3d4e5f6a7b8.Y2lwaGVydGV4dGJvYg.dGFnYm9i":      "bob",
}

const opaqueSpec = `openapi: 3.0.3
info: {title: vault, version: "1"}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
security: [{bearerAuth: []}]
paths:
  /api/me:
    get: {responses: {"200": {description: ok}}}
  /api/secrets:
    get: {responses: {"200": {description: ok}}}
  /health:
    get: {security: [], responses: {"200": {description: ok}}}
`

// TestScanIncompleteWhenTokensUnusable: an API whose JWT-family checks
// cannot run (its tokens are encrypted) is reported "incomplete", not
// graded, in every format, and coverage says why.
func TestScanIncompleteWhenTokensUnusable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/health" {
			w.Write([]byte(`{"status":"ok"}`))
			return
		}
		user, ok := encrypted[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"unauthorized"}`))
			return
		}
		w.Write([]byte(`{"user":"` + user + `","path":"` + r.URL.Path + `"}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	spec := filepath.Join(dir, "openapi.yaml")
	if err := os.WriteFile(spec, []byte(opaqueSpec), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"scan", srv.URL, "--spec", spec, "--fail-on", "none", "--quiet", "--checks", "jwt,authz"}
	for tok, name := range encrypted {
		args = append(args, "--identity", name+"=bearer:"+tok)
	}
	outs := map[string]string{}
	for _, ext := range []string{"json", "txt", "md", "html"} {
		outs[ext] = filepath.Join(dir, "result."+ext)
		args = append(args, "-o", outs[ext])
	}
	if code, _, stderr := run(args...); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(outs["json"])
	if err != nil {
		t.Fatal(err)
	}
	var res report.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	var jwt *report.Coverage
	for i := range res.Coverage {
		if res.Coverage[i].Family == "jwt" {
			jwt = &res.Coverage[i]
		}
	}
	if jwt == nil || jwt.Tested != 0 || len(jwt.Skipped) != 2 || jwt.Skipped[0].Reason != "no usable JWT" {
		t.Fatalf("jwt coverage = %+v, want 2 endpoints skipped for no usable JWT", jwt)
	}
	if u := report.Ungraded(&res); len(u) != 1 || !strings.HasPrefix(u[0], "jwt:") {
		t.Fatalf("Ungraded = %q, want the jwt family", u)
	}
	for ext, want := range map[string]string{"txt": "score incomplete, not graded", "md": "incomplete, not graded", "html": "Incomplete: not graded"} {
		body, err := os.ReadFile(outs[ext])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), want) || strings.Contains(string(body), "(grade A)") {
			t.Errorf("%s report does not say %q instead of a grade:\n%s", ext, want, body)
		}
	}
}

// TestScanSourceWithoutRoutes: --source on a directory without Flask routes,
// on a target that serves no OpenAPI document either, does not lose the
// scan: the target URL itself is probed, as without --source, and the result
// says why; a target that answers nothing usable is still exit 3, blamed on
// the target's answers, not on the source.
func TestScanSourceWithoutRoutes(t *testing.T) {
	t.Parallel()
	guarded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer x" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"unauthorized"}`))
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer guarded.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "util.py"), []byte("def helper():\n    return 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("scan", guarded.URL, "--source", dir, "--identity", "a=bearer:x")
	if code == ExitNoTest || code == ExitUsage || !strings.Contains(stdout+stderr, "no Flask or FastAPI routes found") || !strings.Contains(stdout+stderr, "probing the target URL itself (GET /)") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	code, _, stderr = run("scan", missing.URL, "--source", dir, "--identity", "a=bearer:x")
	if code != ExitNoTest || !strings.Contains(stderr, "answered no request usably") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// TestScanLeavesStateChangingGETsAlone: a GET whose path says it changes
// state is never called unless named; --exclude keeps any endpoint out;
// --endpoint replaces the config's list.
func TestScanLeavesStateChangingGETsAlone(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	dir := t.TempDir()
	spec := filepath.Join(dir, "openapi.yaml")
	os.WriteFile(spec, []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/items: {get: {responses: {"200": {description: ok}}}}
  /api/admin/reset: {get: {responses: {"200": {description: ok}}}}
  /api/tools: {get: {summary: Purge the cache, responses: {"200": {description: ok}}}}
  /api/export: {get: {responses: {"200": {description: ok}}}}
`), 0o600)
	cfg := filepath.Join(dir, "authprobe.yaml")
	os.WriteFile(cfg, []byte("endpoints: [GET /api/from-config]\nexclude: [\"GET /api/export\"]\n"), 0o600)
	out := filepath.Join(dir, "r.json")
	code, _, stderr := run("scan", srv.URL, "-c", cfg, "--spec", spec, "--identity", "a=bearer:tok", "-o", out, "-q", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	mu.Lock()
	for _, p := range []string{"/api/admin/reset", "/api/tools", "/api/export"} {
		if calls[p] != 0 {
			t.Errorf("%s called %d times", p, calls[p])
		}
	}
	if calls["/api/items"] == 0 || calls["/api/from-config"] == 0 {
		t.Errorf("scanned endpoints not called: %v", calls)
	}
	mu.Unlock()
	var res report.Result
	data, _ := os.ReadFile(out)
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	skipped := map[string]string{}
	for _, c := range res.Coverage {
		for _, s := range c.Skipped {
			if s.Endpoint != nil {
				skipped[s.Endpoint.String()] = s.Reason
			}
		}
	}
	for _, ep := range []string{"GET /api/admin/reset", "GET /api/tools", "GET /api/export"} {
		if skipped[ep] == "" {
			t.Errorf("%s not listed as skipped in coverage: %v", ep, skipped)
		}
	}
	// Named on the command line, the state-changing GET is scanned, and the
	// config's endpoint list is replaced.
	mu.Lock()
	clear(calls)
	mu.Unlock()
	if code, _, stderr := run("scan", srv.URL, "-c", cfg, "--endpoint", "GET /api/admin/reset", "--identity", "a=bearer:tok", "-q", "--fail-on", "none"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls["/api/admin/reset"] == 0 || calls["/api/from-config"] != 0 {
		t.Errorf("--endpoint: calls %v", calls)
	}
}

// TestTranscriptNamesIdentities: every transcript line says who the
// request was sent as.
func TestTranscriptNamesIdentities(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != "k-alice-123456" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"user":"alice"}`))
	}))
	defer srv.Close()
	tr := filepath.Join(t.TempDir(), "t.jsonl")
	if code, _, stderr := run("scan", srv.URL, "--endpoint", "GET /api/me", "--identity", "alice=header:X-API-Key:k-alice-123456",
		"--transcript", tr, "-q", "--fail-on", "none"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	documented := transcriptKeys(t)
	who := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e struct{ Identity string }
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		var keys map[string]any
		if err := json.Unmarshal([]byte(line), &keys); err != nil {
			t.Fatal(err)
		}
		for k := range keys {
			if !documented[k] {
				t.Errorf("transcript key %q is not in docs/user-guide.md's --transcript row", k)
			}
		}
		if e.Identity == "" {
			t.Errorf("no identity: %s", line)
		}
		who[strings.SplitN(e.Identity, ":", 2)[0]]++
	}
	if who["alice"] == 0 || who["anonymous"] == 0 {
		t.Errorf("identities in the transcript: %v", who)
	}
}

// transcriptKeys are the keys docs/user-guide.md gives for --transcript
// lines; each must be a field the transcript writes.
func transcriptKeys(t *testing.T) map[string]bool {
	t.Helper()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(root), "docs", "user-guide.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := ""
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "| `--transcript FILE`") {
			row = l
		}
	}
	out := map[string]bool{}
	entry := reflect.TypeOf(httpx.Entry{})
	for i := range entry.NumField() {
		name := entry.Field(i).Name
		if !strings.Contains(row, "`"+name+"`") {
			t.Errorf("docs/user-guide.md --transcript row does not name the key %s", name)
		}
		out[name] = true
	}
	return out
}
