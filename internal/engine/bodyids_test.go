package engine

import (
	"encoding/json"
	"fmt"
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

// ticketDesk names its objects in request bodies only: POST /tickets/open
// answers {"ticket": {"ticketId": "T-…"}}, PATCH /tickets/close and GET
// /tickets/status (a JSON body on a GET) take {"ticketId": …}; no path
// has an {id} and no answer lists tickets (GET /tickets/count counts
// them). Keys travel in X-Api-Key. secure: close and status answer
// 404 unless the caller opened the ticket.
type ticketDesk struct {
	secure bool
	mu     sync.Mutex
	owner  map[string]string // ticket id → key holder
	closed map[string]bool
	n      int
}

var deskKeys = map[string]string{"kd-ann-4f1e9c2a7b": "ann", "kd-ben-0c8d3e6f5a": "ben"}

func (d *ticketDesk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	who, ok := deskKeys[r.Header.Get("X-Api-Key")]
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]any{"error": "an API key is required"})
		return
	}
	var in map[string]any
	_ = json.NewDecoder(r.Body).Decode(&in)
	id, _ := in["ticketId"].(string)
	mine := d.owner[id] != "" && (!d.secure || d.owner[id] == who)
	switch {
	case r.URL.Path == "/tickets/open" && r.Method == http.MethodPost:
		d.n++
		t := fmt.Sprintf("T-%04d", 7000+d.n*13)
		d.owner[t] = who
		w.WriteHeader(http.StatusCreated)
		writeJSON(w, map[string]any{"ticket": map[string]any{"ticketId": t, "subject": in["subject"], "state": "open"}})
	case r.URL.Path == "/tickets/count" && r.Method == http.MethodGet:
		n := 0
		for _, o := range d.owner {
			if o == who {
				n++
			}
		}
		writeJSON(w, map[string]any{"holder": who, "open": n})
	case r.URL.Path == "/tickets/close" && r.Method == http.MethodPatch && mine:
		d.closed[id] = true
		writeJSON(w, map[string]any{"ticketId": id, "opener": d.owner[id], "state": "closed"})
	case r.URL.Path == "/tickets/status" && r.Method == http.MethodGet && mine:
		writeJSON(w, map[string]any{"ticketId": id, "opener": d.owner[id], "closed": d.closed[id]})
	case strings.HasPrefix(r.URL.Path, "/tickets/"):
		w.WriteHeader(http.StatusNotFound)
		writeJSON(w, map[string]any{"error": "no such ticket"})
	default:
		http.NotFound(w, r)
	}
}

func scanTicketDesk(t *testing.T, secure bool) *Outcome {
	t.Helper()
	desk := &ticketDesk{secure: secure, owner: map[string]string{}, closed: map[string]bool{}}
	srv := httptest.NewServer(desk)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{Bodies: map[string]inventory.Body{
		"POST /tickets/open":   {Value: map[string]any{"subject": "printer jam"}},
		"PATCH /tickets/close": {Value: map[string]any{"ticketId": "T-0001"}},
	}}
	for _, line := range []string{"GET /tickets/count", "GET /tickets/status", "POST /tickets/open", "PATCH /tickets/close"} {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		inv.Add(ep)
	}
	ids := []*identity.Identity{
		{Name: "ann", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "kd-ann-4f1e9c2a7b"}}},
		{Name: "ben", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": "kd-ben-0c8d3e6f5a"}}},
	}
	st := probe.Settings{SourceReadBodies: map[string]probe.SourceBody{
		"GET /tickets/status": {Value: map[string]any{"ticketId": "x"}, Where: "desk.py:40"},
	}}
	return runComplete(t, Options{Target: u, Client: client, Inventory: inv, Identities: ids, AllowWrites: true, Settings: st})
}

// TestObjectsNamedInBodies: an action and a GET that name their object in
// the JSON body (no {id} in any path) are tried as one identity on a
// ticket the other identity was just made by the write whose answers name
// tickets; served, each is authz.bola-write. The owner-checking twin
// yields nothing.
func TestObjectsNamedInBodies(t *testing.T) {
	for _, secure := range []bool{false, true} {
		out := scanTicketDesk(t, secure)
		got := map[string]bool{}
		for _, f := range out.Findings {
			if f.Rule == "authz.bola-write" && f.Endpoint != nil {
				got[f.Endpoint.String()] = true
				if !strings.Contains(f.Message, "ticketId") {
					t.Errorf("message should name the body field: %s", f.Message)
				}
			}
		}
		for _, ep := range []string{"PATCH /tickets/close", "GET /tickets/status"} {
			if got[ep] == secure {
				for _, f := range out.Findings {
					t.Logf("secure=%v: %s %s: %s", secure, f.Rule, f.Endpoint, f.Message)
				}
				t.Errorf("secure=%v: authz.bola-write on %s is %v", secure, ep, got[ep])
			}
		}
		if len(got) > 0 && secure {
			t.Errorf("secure twin: %v", got)
		}
	}
}
