package apikey_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// pairAPI serves GET /report only to a request with both keys: X-App-Id
// in a header and, when queryChecked, token in the query string (else the
// query value is ignored).
func pairAPI(queryChecked bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-App-Id") != "app-5519" || queryChecked && r.URL.Query().Get("token") != "tq-82c1e6" {
			http.Error(w, `{"detail":"Invalid API Key"}`, 401)
			return
		}
		_, _ = w.Write([]byte(`{"rows":[1,2]}`))
	}))
}

func scanPair(t *testing.T, srv *httptest.Server) *engine.Outcome {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, _ := inventory.ParseEndpoint("GET /report")
	checks, err := engine.Select(engine.Registry(), []string{"apikey.in-query"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := &identity.Identity{Name: "svc", Base: identity.Creds{Headers: map[string]string{"X-App-Id": "app-5519"},
		Query: map[string]string{"token": "tq-82c1e6"}}}
	out, err := engine.Run(context.Background(), engine.Options{Target: u, Client: client, Checks: checks,
		Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}}, Identities: []*identity.Identity{id}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKeysTogetherOneInQuery: two keys that get in only together, one in a
// header and one in the query string: the query one is reported (the
// identity's set accepted, a random value in ?token alone refused), with
// its proving request. The twin, whose query value is ignored, yields
// nothing.
func TestKeysTogetherOneInQuery(t *testing.T) {
	t.Parallel()
	srv := pairAPI(true)
	defer srv.Close()
	got := inQuery(scanPair(t, srv))
	if len(got) != 1 || got[0].Evidence == nil || got[0].Evidence.Status != 200 {
		t.Fatalf("findings %+v, want one apikey.in-query with its proving request", got)
	}
	twin := pairAPI(false)
	defer twin.Close()
	if got := inQuery(scanPair(t, twin)); len(got) != 0 {
		t.Errorf("query value ignored: %+v", got)
	}
}

func inQuery(out *engine.Outcome) []finding.Finding {
	var got []finding.Finding
	for _, f := range out.Findings {
		if f.Rule == "apikey.in-query" {
			got = append(got, f)
		}
	}
	return got
}
