package engine

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// quotaAPI serves GET /v3/reports to a known key in an Api-Key header, at
// most quota times per key (429 past it): the quota counts valid requests
// only, so unknown keys are refused with 401 without any limit. With
// lockAfter > 0 it also answers 429 to everything once that many unknown
// keys were tried (the fixed build).
type quotaAPI struct {
	quota, lockAfter int

	mu       sync.Mutex
	used     map[string]int
	failures int
}

var quotaKeys = map[string]bool{"qk_7d1e0b5c9a2f4e6b8c3d": true, "qk_2a9f4c7e1b8d3e5f6a0c": true}

func (a *quotaAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if r.URL.Path == "/v3/ping" {
		writeJSON(w, map[string]any{"ok": true})
		return
	}
	if r.URL.Path != "/v3/reports" {
		http.NotFound(w, r)
		return
	}
	if a.lockAfter > 0 && a.failures >= a.lockAfter {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	k := r.Header.Get("Api-Key")
	if !quotaKeys[k] {
		a.failures++
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"detail": "Invalid API key"})
		return
	}
	a.used[k]++
	if a.used[k] > a.quota {
		w.WriteHeader(http.StatusTooManyRequests)
		writeJSON(w, map[string]any{"detail": "quota exceeded for this key"})
		return
	}
	writeJSON(w, map[string]any{"rows": []int{1, 2, 3}})
}

func scanQuotaAPI(t *testing.T, api *quotaAPI) *Outcome {
	t.Helper()
	api.used = map[string]int{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	var eps []inventory.Endpoint
	for _, line := range []string{"GET /v3/ping", "GET /v3/reports"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep)
	}
	inv := &inventory.Inventory{}
	inv.Add(eps...)
	key := func(k string) identity.Creds { return identity.Creds{Headers: map[string]string{"Api-Key": k}} }
	ids := []*identity.Identity{
		{Name: "north", Base: key("qk_7d1e0b5c9a2f4e6b8c3d")},
		{Name: "south", Base: key("qk_2a9f4c7e1b8d3e5f6a0c")},
	}
	return runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids,
		Settings: probe.Settings{BruteforceAttempts: 12}})
}

// TestKeyQuotaIsNoThrottle: a per-key quota the scan's own valid requests
// spent answers the valid key 429 after the failures as before them; the
// failures were never throttled, so key guessing is unlimited (the FastAPI
// key services' shape, on another header and server). A build that locks
// the client out after failures stays protected.
func TestKeyQuotaIsNoThrottle(t *testing.T) {
	for _, c := range []struct {
		name string
		api  *quotaAPI
		want bool
	}{
		// The quota runs out at the series' control (the scan's other
		// valid requests spent the rest), or long before it.
		{"quota spent by the control", &quotaAPI{quota: 2}, true},
		{"quota spent before", &quotaAPI{quota: 1}, true},
		{"quota and lockout", &quotaAPI{quota: 2, lockAfter: 6}, false},
	} {
		out := scanQuotaAPI(t, c.api)
		got := false
		for _, f := range out.Findings {
			if f.Rule == "apikey.no-bruteforce-protection" && f.Endpoint != nil && f.Endpoint.Path == "/v3/reports" {
				got = true
				if !strings.Contains(f.Message, "one more made-up key") {
					t.Errorf("%s: the message should say one more made-up key was still refused as before: %s", c.name, f.Message)
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: key guessing reported %v, want %v; notes %v", c.name, got, c.want, out.Notes)
		}
	}
}
