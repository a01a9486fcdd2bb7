package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// runCheck serves h, scans its one endpoint as ids with the one check
// that reports rule, and returns the outcome.
func runCheck(t *testing.T, h http.Handler, endpoint string, ids []*identity.Identity, rule string, set probe.Settings) *Outcome {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := inventory.ParseEndpoint(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	checks, err := Select(Registry(), []string{rule}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := Run(ctx, Options{Target: u, Client: client, Inventory: &inventory.Inventory{Endpoints: []inventory.Endpoint{ep}},
		Identities: ids, Checks: checks, Settings: set})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runComplete runs a whole scan with opt (every registered check unless
// opt.Checks says otherwise) and fails the test unless it completed.
func runComplete(t *testing.T, opt Options) *Outcome {
	t.Helper()
	if opt.Checks == nil {
		opt.Checks = Registry()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := Run(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil || out.Incomplete {
		t.Fatal("scan did not complete")
	}
	return out
}

// serveFixture serves h for the test's duration and returns its URL, a
// client scoped to it (opt with Scope set) and an inventory of endpoints.
func serveFixture(t *testing.T, h http.Handler, opt httpx.Options, endpoints ...string) (*url.URL, *httpx.Client, *inventory.Inventory) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	opt.Scope = []string{u.Host}
	client, err := httpx.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	for _, line := range endpoints {
		ep, err := inventory.ParseEndpoint(line)
		if err != nil {
			t.Fatal(err)
		}
		inv.Add(ep)
	}
	return u, client, inv
}
