package engine

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/matrix"
	"github.com/authprobe/authprobe/internal/probe"
)

// keyAPI is a small API keyed by an Api-Token header (not X-API-Key, not
// Flask): accounts owned by tenants, an internal settings page, reports,
// an export, a feed, usage figures, a summary, billing, a legacy route and
// a debug echo. vulnerable switches on one weakness per route;
// lockAfter > 0 answers 429 to everything once that many requests failed.
type keyAPI struct {
	vulnerable bool
	lockAfter  int

	mu       sync.Mutex
	failures int
}

var tenantKeys = map[string]string{"tok_Acme_5f2b9c1d7e3a4b60": "acme", "tok_Globex_0a9e8d7c6b5a4f31": "globex", "tok_Root_9c8b7a6f5e4d3c21": "root"}

var accounts = map[string]string{"acc-7f3a": "acme", "acc-91bc": "acme", "acc-2d44": "globex"}

func (a *keyAPI) tenant(r *http.Request, lenient bool) (string, bool) {
	k, present := r.Header["Api-Token"]
	v := ""
	if present {
		v = k[0]
	}
	if a.vulnerable && lenient {
		switch r.URL.Path {
		case "/v2/export":
			if present && v == "" {
				return "acme", true
			}
		case "/v2/reports":
			for key, t := range tenantKeys {
				if strings.EqualFold(key, v) {
					return t, true
				}
			}
		case "/v2/feed":
			if !present {
				v = r.URL.Query().Get("token")
			}
		case "/v2/usage":
			if v != "" {
				return "acme", true
			}
		case "/v2/summary":
			if r.Method != http.MethodGet {
				return "acme", true
			}
		}
	}
	t, ok := tenantKeys[v]
	return t, ok
}

func (a *keyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	locked := a.lockAfter > 0 && a.failures >= a.lockAfter
	a.mu.Unlock()
	if locked {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	if r.URL.Path == "/v2/status" {
		writeJSON(w, map[string]any{"ok": true})
		return
	}
	if a.vulnerable && r.URL.Path == "/v2/billing" {
		writeJSON(w, map[string]any{"invoices": []string{"INV-1", "INV-2"}})
		return
	}
	tenant, ok := a.tenant(r, true)
	if a.vulnerable && r.URL.Path == "/v2/legacy" && strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		tenant, ok = "legacy", true
	}
	if !ok {
		a.mu.Lock()
		a.failures++
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte("<error><code>unauthenticated</code></error>"))
		return
	}
	switch path := r.URL.Path; {
	case path == "/v2/accounts":
		var mine []map[string]any
		for id, owner := range accounts {
			if owner == tenant {
				mine = append(mine, map[string]any{"account_id": id, "plan": "pro"})
			}
		}
		sort.Slice(mine, func(i, j int) bool { return mine[i]["account_id"].(string) < mine[j]["account_id"].(string) })
		writeJSON(w, map[string]any{"data": mine})
	case strings.HasPrefix(path, "/v2/accounts/"):
		id := strings.TrimPrefix(path, "/v2/accounts/")
		owner, ok := accounts[id]
		if !ok || (!a.vulnerable && owner != tenant) {
			http.Error(w, "no such account", http.StatusNotFound)
			return
		}
		writeJSON(w, map[string]any{"account_id": id, "owner": owner, "balance": 1200})
	case path == "/v2/internal/settings":
		if !a.vulnerable && tenant != "root" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		writeJSON(w, map[string]any{"smtp": "mail.internal", "debug": false})
	case path == "/v2/debug":
		h := map[string]string{}
		for k, v := range r.Header {
			if a.vulnerable || k != "Api-Token" {
				h[k] = v[0]
			}
		}
		writeJSON(w, map[string]any{"headers": h, "tenant": tenant})
	case path == "/v2/reports", path == "/v2/export", path == "/v2/feed", path == "/v2/usage", path == "/v2/summary",
		path == "/v2/billing", path == "/v2/legacy":
		writeJSON(w, map[string]any{"rows": []int{1, 2, 3}, "route": path})
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func scanKeyAPI(t *testing.T, api *keyAPI) *Outcome {
	t.Helper()
	srv := httptest.NewServer(api)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	var eps []inventory.Endpoint
	for _, line := range []string{"GET /v2/status", "GET /v2/accounts", "GET /v2/accounts/{account_id}", "GET /v2/internal/settings", "GET /v2/reports", "GET /v2/export", "GET /v2/feed", "GET /v2/usage", "GET /v2/summary",
		"GET /v2/billing", "GET /v2/legacy", "GET /v2/debug"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep)
	}
	inv := &inventory.Inventory{}
	inv.Add(eps...)
	key := func(k string) identity.Creds { return identity.Creds{Headers: map[string]string{"Api-Token": k}} }
	ids := []*identity.Identity{
		{Name: "acme", Base: key("tok_Acme_5f2b9c1d7e3a4b60")},
		{Name: "globex", Base: key("tok_Globex_0a9e8d7c6b5a4f31")},
		{Name: "root", Role: "admin", Base: key("tok_Root_9c8b7a6f5e4d3c21")},
	}
	return runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids,
		Settings: probe.Settings{BruteforceAttempts: 12}})
}

// TestKeyAPI: every key weakness is found on another header name, another
// error format and another server than the labs', and nothing else.
func TestKeyAPI(t *testing.T) {
	out := scanKeyAPI(t, &keyAPI{vulnerable: true})
	got := map[string]bool{}
	perRule := map[string]int{}
	for _, f := range out.Findings {
		perRule[f.Rule]++
		for _, in := range f.Places() {
			got[f.Rule+" "+in.Endpoint.String()] = true
		}
		if f.Evidence == nil || f.Evidence.Curl == "" || f.Evidence.Control == "" {
			t.Errorf("%s on %s: evidence %+v", f.Rule, f.Endpoint, f.Evidence)
		}
		if strings.Contains(f.Evidence.Curl, "5f2b9c1d7e3a4b60") {
			t.Errorf("%s: key not redacted in %s", f.Rule, f.Evidence.Curl)
		}
	}
	want := []string{
		"authz.bola GET /v2/accounts/{account_id}",
		"authz.bfla GET /v2/internal/settings",
		"apikey.variant-accepted GET /v2/reports",
		"apikey.empty-accepted GET /v2/export",
		"apikey.in-query GET /v2/feed",
		"apikey.invalid-accepted GET /v2/usage",
		"authz.method-tampering GET /v2/summary",
		"authz.missing-authentication GET /v2/billing",
		"authz.weaker-credential-wins GET /v2/legacy",
		"leak.credential-in-response GET /v2/debug",
	}
	for _, path := range []string{"/v2/accounts", "/v2/accounts/{account_id}", "/v2/internal/settings", "/v2/reports", "/v2/export", "/v2/feed", "/v2/summary", "/v2/legacy", "/v2/debug"} {
		want = append(want, "apikey.no-bruteforce-protection GET "+path)
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing %s", w)
		}
		delete(got, w)
	}
	for g := range got {
		t.Errorf("unexpected %s", g)
	}
	// Every keyed route refuses alike: one gate, so the missing throttling
	// is one finding with its routes as instances.
	if n := perRule["apikey.no-bruteforce-protection"]; n != 1 {
		t.Errorf("apikey.no-bruteforce-protection: %d findings, want 1 with its instances", n)
	}
}

// TestKeyAPIThrottled: the fixed API that locks a client out with 429
// after a few failures yields no finding, and the scan completes.
func TestKeyAPIThrottled(t *testing.T) {
	out := scanKeyAPI(t, &keyAPI{lockAfter: 120})
	for _, f := range out.Findings {
		t.Errorf("finding on a correct, throttling API: %s %s: %s", f.Rule, f.Endpoint, f.Message)
	}
	throttled := false
	for _, n := range out.Notes {
		if strings.Contains(n, "throttled") || strings.Contains(n, "429") {
			throttled = true
		}
	}
	if !throttled {
		t.Errorf("no note says the API throttled: %v", out.Notes)
	}
	policies := map[string]string{}
	for _, r := range out.Rows {
		policies[r.Endpoint.Key()] = r.Policy
	}
	for ep, want := range map[string]string{"GET /v2/status": matrix.PolicyPublic, "GET /v2/internal/settings": matrix.PolicyRoleRestricted, "GET /v2/accounts": matrix.PolicyKey} {
		if policies[ep] != want {
			t.Errorf("%s: policy %q, want %q", ep, policies[ep], want)
		}
	}
}

// TestTraceIsARead: TRACE is one of RFC 9110's safe methods; a route an
// app declares for it (FastAPI's @app.trace dumping a table) goes through
// the read checks instead of waiting, never sent, for the write phase.
func TestTraceIsARead(t *testing.T) {
	for m, want := range map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "TRACE": true, "POST": false, "DELETE": false, "PATCH": false} {
		if safeMethod(m) != want {
			t.Errorf("safeMethod(%s) = %v, want %v", m, !want, want)
		}
	}
}

// TestEndpointURLQueryAfterPath: a required query parameter goes after the
// path (it went before it: GET /api/search?query=x was sent as
// http://host?query=x/api/search, to the root), under the target's base
// path too.
func TestEndpointURLQueryAfterPath(t *testing.T) {
	for _, c := range []struct{ target, ep, want string }{
		{"http://127.0.0.1:5000", "GET /api/search?query=test", "http://127.0.0.1:5000/api/search?query=test"},
		{"http://127.0.0.1:5000/", "GET /api/users/{id}", "http://127.0.0.1:5000/api/users/1"},
		{"http://127.0.0.1:5000/v2", "GET /items?q=a", "http://127.0.0.1:5000/v2/items?q=a"},
	} {
		target, err := url.Parse(c.target)
		if err != nil {
			t.Fatal(err)
		}
		ep, err := inventory.ParseEndpoint(c.ep)
		if err != nil {
			t.Fatal(err)
		}
		if got := endpointURL(target, &ep); got != c.want {
			t.Errorf("%s on %s = %s, want %s", c.ep, c.target, got, c.want)
		}
	}
}
