package transport

import (
	"context"
	"net/http"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
)

// madeUp is the value every path parameter of a write gate takes: an id
// no seeded or scan-made record has, so that a request the gate lets
// past finds nothing to change (404).
const madeUp = "987654321"

var placeholder = regexp.MustCompile(`\{([^}]+)\}`)

// writeGates are DELETEs of made-up ids that refuse an anonymous
// request, for an API that guards only its writes (its reads are
// public): a placement is confirmed when the real key gets past the
// refusal to the 404 of the id. Sent only with --allow-writes, and never
// to a real record.
func (o Options) writeGates(ctx context.Context) []*gate {
	base := strings.TrimRight(o.Session.Target.String(), "/")
	var out []*gate
	tried := 0
	for i := range o.Inventory.Endpoints {
		ep := &o.Inventory.Endpoints[i]
		if ep.Method != http.MethodDelete || !onlyPathParams(ep) {
			continue
		}
		if tried == maxChallenges || len(out) == maxGates || ctx.Err() != nil {
			break
		}
		vals := map[string]string{}
		for _, m := range placeholder.FindAllStringSubmatch(ep.Path, -1) {
			vals[m[1]] = madeUp
		}
		u := base + ep.Concrete(vals)
		tried++
		resp := o.Client.Do(ctx, &httpx.Request{Method: http.MethodDelete, URL: u, Header: http.Header{}, Identity: "anonymous", NoRetry: true})
		if resp.Err != nil || (resp.Status != http.StatusUnauthorized && resp.Status != http.StatusForbidden) {
			continue
		}
		out = append(out, &gate{ep: ep, url: u, status: resp.Status, param: true, method: http.MethodDelete,
			said: FromRefusal(resp.Status, resp.Header, resp.Body, ep.Key())})
	}
	return out
}

// bodylessGates are writes (POST, PUT, PATCH) sent without a body that
// refuse an anonymous request, for an API whose only gated routes take a
// body (a collector's POST /logs): a placement is confirmed when the real
// key gets past the refusal to the missing body's (400, 415, 422). Sent
// only with --allow-writes, and only when no GET or DELETE gate exists;
// path parameters take the made-up id.
func (o Options) bodylessGates(ctx context.Context) []*gate {
	base := strings.TrimRight(o.Session.Target.String(), "/")
	var out []*gate
	tried := 0
	for i := range o.Inventory.Endpoints {
		ep := &o.Inventory.Endpoints[i]
		switch ep.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
		default:
			continue
		}
		if ep.Declared() && len(ep.Security) == 0 {
			continue
		}
		if tried == maxChallenges || len(out) == maxGates || ctx.Err() != nil {
			break
		}
		vals := map[string]string{}
		for _, m := range placeholder.FindAllStringSubmatch(ep.Path, -1) {
			vals[m[1]] = madeUp
		}
		u := base + ep.Concrete(vals)
		tried++
		resp := o.Client.Do(ctx, &httpx.Request{Method: ep.Method, URL: u, Header: http.Header{}, Identity: "anonymous", NoRetry: true})
		if resp.Err != nil || (resp.Status != http.StatusUnauthorized && resp.Status != http.StatusForbidden) {
			continue
		}
		out = append(out, &gate{ep: ep, url: u, status: resp.Status, method: ep.Method, bodyless: true,
			said: FromRefusal(resp.Status, resp.Header, resp.Body, ep.Key())})
	}
	return out
}

// bodyRefusal: an answer that refuses the request's body (missing or
// malformed), given past an authentication gate.
func bodyRefusal(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusUnsupportedMediaType || status == http.StatusUnprocessableEntity
}
