// Package actions tests writes beyond REST collections (--allow-writes):
// every write endpoint, RPC-style ones included (POST /debit_customer_v1,
// POST /confirm_transfer_v1/{tid}), gets an anonymous probe and the same
// request as each identity; action endpoints whose path or body names an
// object are tried with ids another identity owns, no collection needed;
// and tokens or keys the API mints are collected and tested for
// predictability. Every verdict goes through the one refusal oracle.
package actions

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// Rules this check reports.
const (
	RuleMissing     = "authz.missing-authentication"
	RuleBOLAWrite   = "authz.bola-write"
	RulePredictable = "apikey.predictable-token"
	// RuleAnonymousWrite is what the write phase reports for an anonymous
	// write it proved on its own object (not re-reported here).
	RuleAnonymousWrite = "authz.method-tampering"
)

// Checks is the action check; register it after the write phase.
func Checks() []probe.Check {
	return []probe.Check{{
		ID: "authz.actions", Scope: probe.PerScan, Rules: []string{RuleMissing, RuleBOLAWrite, RulePredictable, RuleWeakSecret}, Run: run,
		Doc: "(--allow-writes) every write endpoint without credentials and as each identity, action endpoints with ids another identity owns, minted tokens tested for predictability",
	}}
}

// write is one write endpoint and what it answered.
type write struct {
	ep   *inventory.Endpoint
	body map[string]any // {} when no body is known
	// anon and as are the answers without credentials and per identity;
	// anonBody is the body the anonymous request carried.
	anon     *probe.Outcome
	anonBody map[string]any
	// create is the REST collection an anonymous-only probe created in
	// (its objects are the write phase's otherwise): a served anonymous
	// create is cleaned up through its item DELETE.
	create *writes.Target
	as     map[string]*probe.Outcome
}

func run(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	// The write phase's accepted bodies are read here for the last time.
	defer writes.Forget(p.Inventory())
	ids := principals(ctx, p)
	if len(ids) == 0 {
		return
	}
	defer servedForms.Delete(p)
	defer learntQuery.Delete(p)
	owned := harvest(ctx, p)
	var ws []*write
	eps, creates := writeEndpoints(p)
	for _, ep := range eps {
		if ctx.Err() != nil {
			return
		}
		ws = append(ws, probeWrite(ctx, p, ep, ids, owned))
	}
	for _, t := range creates {
		if ctx.Err() != nil {
			return
		}
		ws = append(ws, probeCreate(ctx, p, t))
	}
	anonymous(ctx, p, ws, ids)
	refused := refusalOf(p)
	mint := learnMinters(ws)
	for _, w := range ws {
		if ctx.Err() != nil {
			return
		}
		action(ctx, p, w, ids, owned, mint, refused)
	}
	for _, w := range ws {
		if ctx.Err() != nil {
			return
		}
		minted(ctx, p, w, ids)
	}
	reservedLast(ctx, p, owned, ids[0].id.Name)
}

// principal is an identity with its credentials.
type principal struct {
	id    *identity.Identity
	creds identity.Creds
}

// principals are the scan's identities that can authenticate, non-admins
// first.
func principals(ctx context.Context, p *probe.Pass) []principal {
	var users, admins []principal
	for _, id := range p.Identities() {
		c, err := id.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		if id.Admin() {
			admins = append(admins, principal{id, c})
		} else {
			users = append(users, principal{id, c})
		}
	}
	// Throwaway identities first: the first one's objects are what the
	// requests without credentials name, and only a throwaway identity's
	// may be changed.
	sort.SliceStable(users, func(i, j int) bool { return users[i].id.Throwaway && !users[j].id.Throwaway })
	return append(users, admins...)
}

// probeWrite sends the endpoint's request without credentials and as each
// identity, with path parameters and id fields filled from what the first
// identity owns.
func probeWrite(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, ids []principal, owned map[string]ownedIDs) *write {
	w := &write{ep: ep, body: bodyOf(p, ep), as: map[string]*probe.Outcome{}}
	if f := pageForm(p, ep); f != nil && unfilled(ep, owned[ids[0].id.Name]) {
		// The app offers this write on the records its pages list (a
		// Revoke button per row), and no id of the identity's own fills
		// its path: sent, it would change a record the scan did not make
		// (the example id, or the one on the page). Only the effect proof
		// takes it, on a record the scan made.
		p.Note(fmt.Sprintf("actions: %s is offered on the records a page lists (as %s): taken only on a record the scan made, not on another", ep.Key(), f.Action))
		w.anon = &probe.Outcome{Label: "not sent"}
		return w
	}
	for _, pr := range ids {
		if pr.id.Throwaway {
			// A throwaway identity's own objects may be changed (config
			// throwaway: true): the write guard is told.
			for _, vs := range owned[pr.id.Name] {
				for _, v := range vs {
					probe.Made(p.Env, v)
				}
			}
		}
	}
	w.body = learnBody(ctx, p, ep, w.body, ids[0], owned[ids[0].id.Name])
	u, body := fill(p, ep, w.body, owned[ids[0].id.Name], nil)
	w.anon, w.anonBody = send(ctx, p, ep, u, body, identity.Creds{}, "no credential"), body
	for _, pr := range ids {
		pu, pbody := fill(p, ep, w.body, owned[pr.id.Name], nil)
		w.as[pr.id.Name] = send(ctx, p, ep, pu, pbody, pr.creds, pr.id.Name)
	}
	ownCredentials(ctx, p, w, owned, ids[0].id.Name)
	formEffect(ctx, p, w, ids[0])
	return w
}

// send posts a JSON body (or none) to u with creds; a form when the
// handler's code reads a form and nothing else gives the body.
func send(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, u string, body map[string]any, creds identity.Creds, label string) *probe.Outcome {
	req := &httpx.Request{Method: ep.Method, URL: u, Header: http.Header{}}
	if body != nil {
		form, files := formOf(p, ep)
		var ctype string
		req.Body, ctype = reqbody.Encode(body, form, files)
		req.Header.Set("Content-Type", ctype)
	}
	o := p.Send(probe.WithLabel(ctx, label), ep, req, creds, nil)
	o.Label = label
	return o
}

// bodyOf is the request body the config, the spec or the handler's code
// gives for ep.
func bodyOf(p *probe.Pass, ep *inventory.Endpoint) map[string]any {
	if v, ok := p.Settings().Bodies[ep.Key()]; ok {
		if m, ok := v.(map[string]any); ok {
			return m
		}
	}
	if b, ok := p.Inventory().Bodies[ep.Key()]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			return m
		}
	}
	// The body the handler's code reads (scan --source): JSON, a form, or
	// a multipart form with uploads (send encodes it as the handler reads),
	// with the values a page's form for it fills in itself (a CSRF token).
	if b, ok := p.Settings().SourceBodies[ep.Key()]; ok && (len(b.Value) > 0 || len(b.Files) > 0) {
		out := make(map[string]any, len(b.Value))
		for k, v := range b.Value {
			out[k] = v
		}
		if b.Form {
			for k, v := range presets(p, ep) {
				out[k] = v
			}
		}
		return out
	}
	// The JSON body a GET's handler reads (bodiedRead).
	if b, ok := p.Settings().SourceReadBodies[ep.Key()]; ok && len(b.Value) > 0 {
		out := make(map[string]any, len(b.Value))
		for k, v := range b.Value {
			out[k] = v
		}
		return out
	}
	// The form a page the app serves offers for it.
	if body, _ := pageBody(p, ep); body != nil {
		return body
	}
	// No body known: an empty JSON object, which a view reading
	// request.get_json() parses (no body at all is a 415 there).
	return map[string]any{}
}

// formOf: the body is a form (the spec's form-encoded or multipart body,
// a handler that reads a form, a page's form) and the uploads it takes;
// a config body is JSON.
func formOf(p *probe.Pass, ep *inventory.Endpoint) (bool, map[string]string) {
	if _, ok := p.Settings().Bodies[ep.Key()]; ok {
		return false, nil
	}
	if b, ok := p.Inventory().Bodies[ep.Key()]; ok {
		return b.Form, b.Files
	}
	if b, ok := p.Settings().SourceBodies[ep.Key()]; ok {
		return b.Form, b.Files
	}
	if body, files := pageBody(p, ep); body != nil {
		return true, files
	}
	return false, nil
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.Index(u, "/"); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	u, _, _ = strings.Cut(u, "?")
	return u
}

func status(o *probe.Outcome) string {
	if o == nil || o.Sample == nil {
		return "not sent"
	}
	if o.Sample.Err != nil {
		return o.Sample.Err.Error()
	}
	return fmt.Sprintf("status %d", o.Sample.Status)
}

// learnBody sends the body once as the first identity; a 400 or 422 that
// names missing fields adds them (ids are then filled from what the
// identity owns, other fields get 1) for every request that follows.
func learnBody(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, body map[string]any, pr principal, own ownedIDs) map[string]any {
	u, b := fill(p, ep, body, own, nil)
	o := send(ctx, p, ep, u, b, pr.creds, pr.id.Name+" (body)")
	if o.Sample == nil || (o.Sample.Status != 400 && o.Sample.Status != 422) {
		return body
	}
	if q := reqbody.QueryParams(o.Sample.Body); len(q) > 0 {
		// Sent in the URL from now on, not in the body.
		rememberQuery(p, ep, q)
		p.Note(fmt.Sprintf("actions: %s answered %d naming query parameters (%s): sent with them", ep.Key(), o.Sample.Status, strings.Join(q, ", ")))
	}
	fields := learnFields(o.Sample.Body)
	if len(fields) == 0 {
		return body
	}
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for _, f := range fields {
		if _, ok := out[f]; !ok {
			out[f] = int64(1)
		}
	}
	return out
}
