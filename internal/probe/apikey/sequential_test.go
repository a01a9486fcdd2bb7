package apikey_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// sequenceAPI serves GET /api/data to the holders of keys; every other key
// is refused with 401.
func sequenceAPI(keys ...string) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	valid := map[string]bool{}
	for _, k := range keys {
		valid[k] = true
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if k := r.Header.Get("X-API-Key"); !valid[k] {
			http.Error(w, `{"error":"invalid key"}`, 401)
			return
		}
		w.Write([]byte(`{"data":[1,2,3]}`))
	}))
	return srv, &hits
}

// scanKeys scans srv with the apikey family, identities holding keys.
func scanKeys(t *testing.T, srv *httptest.Server, keys map[string]string) *engine.Outcome {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := inventory.ParseEndpoint("GET /api/data")
	checks, err := engine.Select(engine.Registry(), []string{"apikey.sequential-keys"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []*identity.Identity
	for _, name := range []string{"alice", "bob"} {
		ids = append(ids, &identity.Identity{Name: name, Base: identity.Creds{Headers: map[string]string{"X-API-Key": keys[name]}}})
	}
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Checks: checks,
		Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}}, Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSequentialKeys: keys a counter apart, and the next key in the
// sequence (held by a client authprobe was not given) gets in — one
// finding, with the accepted request as proof and the key redacted. The
// twins yield nothing: random keys, and a sequence whose neighbours are
// not keys.
func TestSequentialKeys(t *testing.T) {
	t.Parallel()
	seq := map[string]string{"alice": "pk_0000001041_live", "bob": "pk_0000001042_live"}
	srv, _ := sequenceAPI(seq["alice"], seq["bob"], "pk_0000001043_live")
	defer srv.Close()
	out := scanKeys(t, srv, seq)
	var found int
	for _, f := range out.Findings {
		if f.Rule != "apikey.sequential-keys" {
			continue
		}
		found++
		if f.Evidence == nil || f.Evidence.Status != 200 || f.Endpoint == nil || f.Endpoint.Path != "/api/data" {
			t.Errorf("finding without its proving request: %+v", f)
		}
		if strings.Contains(f.Evidence.Curl, "1043") {
			t.Errorf("the neighbour's key is shown: %s", f.Evidence.Curl)
		}
	}
	if found != 1 {
		t.Fatalf("%d sequential-key findings, want 1: %+v", found, out.Findings)
	}

	random := map[string]string{"alice": "pk_7f3a9c21e5b4_live", "bob": "pk_4d8e1b7a63c2_live"}
	srv2, _ := sequenceAPI(random["alice"], random["bob"], "pk_0000001043_live")
	defer srv2.Close()
	if out := scanKeys(t, srv2, random); len(out.Findings) != 0 {
		t.Errorf("random keys: %+v", out.Findings)
	}

	srv3, _ := sequenceAPI(seq["alice"], seq["bob"])
	defer srv3.Close()
	if out := scanKeys(t, srv3, seq); len(out.Findings) != 0 {
		t.Errorf("a sequence whose neighbours are not keys: %+v", out.Findings)
	}
}
