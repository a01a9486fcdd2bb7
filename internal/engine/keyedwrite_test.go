package engine

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// jobsAPI has one route, a write: POST /api/jobs behind a key in
// X-Service-Key, refused 401 with a JSON error; the valid key with no body
// is a 400 validation answer. With lockAfter, the client is refused 429
// after that many wrong keys.
type jobsAPI struct {
	lockAfter int
	mu        sync.Mutex
	wrong     int
}

func (a *jobsAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	locked := a.lockAfter > 0 && a.wrong >= a.lockAfter
	a.mu.Unlock()
	if locked {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(429)
		return
	}
	if r.Header.Get("X-Service-Key") != "svc-7d41c9e2b8a0f365" {
		a.mu.Lock()
		a.wrong++
		a.mu.Unlock()
		w.WriteHeader(401)
		w.Write([]byte(`{"error":"invalid service key"}`))
		return
	}
	if r.ContentLength <= 0 {
		w.WriteHeader(400)
		w.Write([]byte(`{"error":"a job needs a name"}`))
		return
	}
	w.WriteHeader(201)
	w.Write([]byte(`{"id":7}`))
}

// TestKeyGuessingOnAWriteOnlyAPI: an API whose only keyed route is a write
// naming no object (batch 6's keyecho-fastapi POST / and
// basic-sha256-users POST /process_json, seen) gets its key-guessing
// series there with --allow-writes: unthrottled, one finding; the twin
// that locks the client out after a few wrong keys yields none, and
// without --allow-writes no series is sent.
func TestKeyGuessingOnAWriteOnlyAPI(t *testing.T) {
	t.Parallel()
	scan := func(api *jobsAPI, writes bool) *Outcome {
		u, client, inv := serveFixture(t, api, httpx.Options{Timeout: 3 * time.Second}, "POST /api/jobs")
		inv.Endpoints[0].Expects = []string{"api-key"}
		checks, err := Select(Registry(), []string{"apikey.no-bruteforce-protection"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := Run(ctx, Options{Target: u, Client: client, Inventory: inv, Checks: checks, AllowWrites: writes,
			Identities: []*identity.Identity{{Name: "svc", Base: identity.Creds{Headers: map[string]string{"X-Service-Key": "svc-7d41c9e2b8a0f365"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := scan(&jobsAPI{}, true)
	if len(out.Findings) != 1 || out.Findings[0].Rule != "apikey.no-bruteforce-protection" || out.Findings[0].Endpoint == nil || out.Findings[0].Endpoint.Path != "/api/jobs" {
		t.Fatalf("findings %v, want apikey.no-bruteforce-protection on POST /api/jobs; notes %q", out.Findings, out.Notes)
	}
	if out := scan(&jobsAPI{lockAfter: 5}, true); len(out.Findings) != 0 {
		t.Errorf("throttling twin: %v", out.Findings)
	}
	api := &jobsAPI{}
	if out := scan(api, false); len(out.Findings) != 0 || api.wrong != 0 {
		t.Errorf("without --allow-writes: findings %v, %d wrong keys sent", out.Findings, api.wrong)
	}
}
