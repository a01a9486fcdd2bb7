package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/report"
)

// gzipBomb is a small gzip stream that inflates to 256 MiB of zeros.
func gzipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 256 {
		zw.Write(zero)
	}
	zw.Close()
	return buf.Bytes()
}

// TestHostileTargets runs the scan command against servers that flood,
// stall, reset, throttle, fail, lie and redirect. Each must end (the guard
// context is a hang detector, not a speed assertion) with the expected
// exit code, no finding and no request off scope.
func TestHostileTargets(t *testing.T) {
	t.Parallel()
	var offScope atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offScope.Add(1)
		w.Write([]byte(`{"user":"alice"}`))
	}))
	defer elsewhere.Close()
	bomb := gzipBomb(t)
	authed := func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+tokA }
	// gated wraps what the valid credential gets; the rest is refused.
	gated := func(ok http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) {
				http.Error(w, `{"error":"unauthorized"}`, 401)
				return
			}
			ok(w, r)
		}
	}
	data := func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"user":"alice","items":[1,2,3]}`)) }
	const (
		tested   = 1 << iota // exit 0: the checks ran
		untested             // exit 3: could not test
	)
	cases := []struct {
		name    string
		h       http.HandlerFunc
		exits   int
		message string // in stderr when untested
	}{
		{"huge", gated(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(64<<20))
			w.Write([]byte(`{"items":[`))
			chunk := bytes.Repeat([]byte(`{"id":1},`), 1<<12)
			for sent := 0; sent < 64<<20-len(chunk); sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}), tested, ""},
		{"endless", gated(func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; ; i++ {
				if _, err := fmt.Fprintf(w, `{"line":%d}`+"\n", i); err != nil {
					return
				}
			}
		}), tested, ""},
		{"gzip bomb", gated(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/json")
			w.Write(bomb)
		}), tested | untested, ""},
		{"slow header", func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) {
				time.Sleep(1500 * time.Millisecond)
			}
			gated(data)(w, r)
		}, tested | untested, ""},
		{"slow body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			for i := 0; i < 20; i++ {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(100 * time.Millisecond)
			}
		}, tested | untested, ""},
		{"reset", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}, untested, "did not answer"},
		{"429 storm with Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", 429)
		}, untested, "no request usably"},
		{"429 storm without Retry-After", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "slow down", 429)
		}, untested, "no request usably"},
		{"random 5xx", func(w http.ResponseWriter, r *http.Request) {
			if rand.IntN(2) == 0 {
				http.Error(w, "Traceback", 500+rand.IntN(4))
				return
			}
			gated(data)(w, r)
		}, tested | untested, ""},
		{"everything open", data, tested, ""},
		{"volatile", gated(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"user":"alice","now":%q,"nonce":"%x","n":%d}`, time.Now().Format(time.RFC3339Nano), rand.Uint64(), rand.IntN(1000))
		}), tested, ""},
		{"echo", func(w http.ResponseWriter, r *http.Request) {
			h := r.Header.Clone()
			h.Del("Authorization")
			body, _ := json.Marshal(map[string]any{"headers": h, "path": r.URL.Path, "query": r.URL.RawQuery})
			if !authed(r) {
				w.WriteHeader(401)
			}
			w.Write(body)
		}, tested, ""},
		{"off-scope redirect", func(w http.ResponseWriter, r *http.Request) {
			if !authed(r) {
				http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
				return
			}
			data(w, r)
		}, tested | untested, ""},
		{"login redirect", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				w.Write([]byte("<html><form>login</form></html>"))
				return
			}
			http.Redirect(w, r, "/login?next="+r.URL.Path, http.StatusFound)
		}, untested, "redirect"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(c.h)
			defer srv.Close()
			dir := t.TempDir()
			out := filepath.Join(dir, "r.json")
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			var stdout, stderr bytes.Buffer
			before := offScope.Load()
			code := Run(ctx, []string{"scan", srv.URL, "--endpoint", "GET /api/me", "--endpoint", "GET /api/items",
				"--identity", "alice=bearer:" + tokA, "--rate", "0", "--timeout", "1s", "--crack-time", "1s",
				// None of these servers throttles: that finding would be
				// true; an echo of the request's credential is a true leak.
				"--skip", "apikey.no-bruteforce-protection", "-q", "-o", out, "--fail-on", "info"}, strings.NewReader(""), &stdout, &stderr)
			if ctx.Err() != nil {
				t.Fatal("the scan did not end")
			}
			if n := offScope.Load() - before; n != 0 {
				t.Fatalf("%d requests off scope", n)
			}
			switch {
			case code == ExitOK && c.exits&tested != 0:
			case code == ExitNoTest && c.exits&untested != 0:
				if !strings.Contains(stderr.String(), c.message) {
					t.Fatalf("exit 3 says %q, want %q", stderr.String(), c.message)
				}
				return
			default:
				var res report.Result
				if data, err := os.ReadFile(out); err == nil {
					json.Unmarshal(data, &res)
				}
				for _, f := range res.Findings {
					t.Errorf("false finding: %s %s", f.Rule, f.Message)
				}
				t.Fatalf("exit %d; stderr %s", code, stderr.String())
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var res report.Result
			if err := json.Unmarshal(data, &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) != 0 {
				t.Fatalf("false findings: %+v", res.Findings)
			}
		})
	}
}
