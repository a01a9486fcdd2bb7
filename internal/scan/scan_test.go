package scan

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/report"
)

const tok = "tok-alice-0123456789abcdef"

// leakyAPI gates /api/me on tok and serves /api/open to anyone, echoing
// the caller's Authorization header: a missing-authentication finding and
// a credential in a response.
func leakyAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/open" {
			w.Write([]byte(`{"items":[1,2,3],"you":"` + r.Header.Get("Authorization") + `"}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+tok {
			http.Error(w, `{"error":"unauthorized"}`, 401)
			return
		}
		w.Write([]byte(`{"user":"alice"}`))
	}))
}

func config(target string) Config {
	return Config{Target: target, Version: "test", Endpoints: []string{"GET /api/me", "GET /api/open"},
		Identities: []*identity.Identity{{Name: "alice", Base: identity.Creds{Bearer: tok}}},
		Rate:       0, Concurrency: 2, Timeout: 2 * time.Second}
}

// TestRunStreamsRedactedFindings: Run returns the result, and the handler
// sees each finding and the result so far as they come — redacted, like
// the result.
func TestRunStreamsRedactedFindings(t *testing.T) {
	t.Parallel()
	srv := leakyAPI()
	defer srv.Close()
	var mu sync.Mutex
	var streamed []finding.Finding
	var flushed *report.Result
	res, err := Run(context.Background(), config(srv.URL), Handler{
		Finding: func(f finding.Finding) { mu.Lock(); streamed = append(streamed, f); mu.Unlock() },
		Flush:   func(r *report.Result) { mu.Lock(); flushed = r; mu.Unlock() },
	})
	if err != nil || res == nil {
		t.Fatalf("Run: %v", err)
	}
	if len(res.Findings) == 0 || len(streamed) != len(res.Findings) {
		t.Fatalf("%d findings streamed, %d in the result", len(streamed), len(res.Findings))
	}
	if flushed == nil || !flushed.Incomplete || len(flushed.Findings) != len(streamed) {
		t.Fatalf("the last flush holds %v, want every streamed finding, marked incomplete", flushed)
	}
	for _, f := range append(streamed, res.Findings...) {
		if s := f.Message + f.Evidence.Curl; strings.Contains(s, tok) || strings.Contains(s, tok[:12]) {
			t.Errorf("%s shows the token: %s", f.Rule, s)
		}
	}
}

// TestRunTypedErrors: what the caller turns into an exit code is a type.
func TestRunTypedErrors(t *testing.T) {
	t.Parallel()
	srv := leakyAPI()
	defer srv.Close()

	bad := config(srv.URL)
	bad.Identities = []*identity.Identity{{Name: "alice", Base: identity.Creds{Headers: map[string]string{"Bad Header": tok}}}}
	var ue *UsageError
	if res, err := Run(context.Background(), bad, Handler{}); res != nil || !errors.As(err, &ue) {
		t.Errorf("unsendable identity: %v, %v; want a *UsageError alone", res, err)
	}

	down := config("http://127.0.0.1:1")
	var un *UnreachableError
	if res, err := Run(context.Background(), down, Handler{}); res != nil || !errors.As(err, &un) {
		t.Errorf("unreachable target: %v, %v; want an *UnreachableError alone", res, err)
	}

	refused := config(srv.URL)
	refused.Identities[0] = &identity.Identity{Name: "alice", Base: identity.Creds{Bearer: "tok-wrong-0123456789"}}
	var pe *PreflightError
	// No identity authenticates anywhere: exit 3, but the result is still
	// written — incomplete, never graded.
	if res, err := Run(context.Background(), refused, Handler{}); res == nil || !res.Incomplete || res.Graded || !errors.As(err, &pe) {
		t.Errorf("identity refused everywhere: %v, %v; want an incomplete, ungraded result and a *PreflightError", res, err)
	}

	spent := config(srv.URL)
	spent.Budget = time.Nanosecond
	var se *StoppedError
	res, err := Run(context.Background(), spent, Handler{})
	if res == nil || !res.Incomplete || !errors.As(err, &se) || !se.Budget() || se.ChecksStarted {
		t.Errorf("budget spent at once: %v, %v; want an incomplete result and a budget *StoppedError before any check", res, err)
	}
}

// TestDryRunPlan: a dry run hands the write plan over and sends
// nothing.
func TestDryRunPlan(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	cfg := config(srv.URL)
	cfg.DryRun = true
	var steps []string
	res, err := Run(context.Background(), cfg, Handler{Plan: func(s []string) { steps = s }})
	if res != nil || err != nil || len(steps) == 0 || !strings.HasPrefix(steps[0], "reads:") {
		t.Fatalf("dry run: %v, %v, plan %q", res, err, steps)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("a dry run sent %d requests", n)
	}
}
