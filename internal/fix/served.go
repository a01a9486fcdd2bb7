package fix

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/static"
	"github.com/authprobe/authprobe/internal/transport"
)

// maxServedChecks bounds the requests per identity of the access check.
const maxServedChecks = 10

// stillServed checks that an identity that logs in can still use its
// credential: each GET endpoint (without path parameters) the scan saw it
// accepted at must not refuse it now. A patch that verifies so strictly
// that genuine tokens fail breaks the identity as surely as a failed login.
// Endpoints anyone could call, and those the patched findings are about
// (closing them is the point), prove nothing and are left out.
func stillServed(ctx context.Context, client *httpx.Client, base, name string, c identity.Creds, served []report.Endpoint, patched map[string]bool) error {
	n := 0
	for _, e := range served {
		if e.Method != "GET" || strings.Contains(e.Path, "{") || e.Matrix[name] != "accepted" ||
			e.Matrix["anonymous"] == "accepted" || patched[e.Method+" "+e.Path] {
			continue
		}
		if n++; n > maxServedChecks {
			break
		}
		req := &httpx.Request{Method: "GET", URL: strings.TrimRight(base, "/") + e.Path, Header: http.Header{}, Identity: name}
		if err := c.Apply(req); err != nil {
			return err
		}
		resp := client.Do(ctx, req)
		if resp.Err == nil && (resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden) {
			return fmt.Errorf("GET %s refuses its credential now (%d); the scan saw it accepted", e.Path, resp.Status)
		}
	}
	return nil
}

// placesOf returns the endpoints the findings are about ("GET /x").
func placesOf(fs []finding.Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		if f.Endpoint != nil {
			out[f.Endpoint.String()] = true
		}
		for _, in := range f.Instances {
			if in.Endpoint != nil {
				out[in.Endpoint.String()] = true
			}
		}
	}
	return out
}

// inferTransport decides, as the scan does, where a login's token travels
// when the config does not say (use:): the scheme a refusal or the source
// names (its settings and the request values it reads), tried on the endpoints the scan saw. Without it a "Token" API
// would refuse every identity's Bearer header and look broken.
func inferTransport(ctx context.Context, client *httpx.Client, sess *identity.Session, dir string, served []report.Endpoint, ids []*identity.Identity) {
	inv := &inventory.Inventory{}
	for _, e := range served {
		inv.Endpoints = append(inv.Endpoints, inventory.Endpoint{Method: e.Method, Path: e.Path})
	}
	o := transport.Options{Client: client, Session: sess, Inventory: inv, Identities: ids}
	if proj, _, err := static.Analyze(ctx, dir); err == nil {
		source.TransportOptions(proj, &o)
	}
	transport.Infer(ctx, o)
}
