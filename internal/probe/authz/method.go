package authz

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// overrideHeaders are the method-override headers frameworks and
// middlewares honour.
var overrideHeaders = []string{"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"}

// tamper is one anonymous request with another method, and how to tell
// that the view ran for it.
type tamper struct {
	name  string
	build func(url string) *httpx.Request
	// served judges the answer against the identity's valid GET answer.
	served func(s, valid *oracle.Sample, ref *oracle.Calibration) bool
}

var tampers = []tamper{
	{
		name: "HEAD",
		build: func(u string) *httpx.Request {
			return &httpx.Request{Method: http.MethodHead, URL: u, Header: http.Header{}}
		},
		// No body comes back: the view ran when the announced length is
		// the valid answer's.
		served: func(s, valid *oracle.Sample, _ *oracle.Calibration) bool {
			n, err := strconv.Atoi(s.Header.Get("Content-Length"))
			return s.Status/100 == 2 && err == nil && n > 0 && n == len(valid.Body)
		},
	},
	{
		name: "OPTIONS",
		build: func(u string) *httpx.Request {
			return &httpx.Request{Method: http.MethodOptions, URL: u, Header: http.Header{}}
		},
		// An automatic OPTIONS answer is empty; only the view's content
		// counts.
		served: func(s, valid *oracle.Sample, _ *oracle.Calibration) bool {
			return oracle.Served(s) && len(s.Body) > 0 && oracle.Similarity(s.Shape(), valid.Shape()) >= 0.6
		},
	},
	{
		name: "GET with X-HTTP-Method-Override: OPTIONS",
		build: func(u string) *httpx.Request {
			h := http.Header{}
			for _, name := range overrideHeaders {
				h.Set(name, http.MethodOptions)
			}
			return &httpx.Request{Method: http.MethodGet, URL: u, Header: h}
		},
		served: func(s, _ *oracle.Sample, ref *oracle.Calibration) bool {
			v, _ := ref.Classify(s)
			return v == oracle.Accepted && oracle.Served(s)
		},
	},
}

// runMethod tries, on every GET endpoint that refuses anonymous requests
// and lets an identity in, the same request without credentials under
// other methods; with --allow-writes, write endpoints of the same path
// that serve anonymous requests count too.
func runMethod(ctx context.Context, p *probe.Pass) {
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		if p.SharesGate(ep) {
			continue
		}
		r := rowOf(p, ep)
		in := r.in()
		if ep.Method != http.MethodGet || !r.refused() || len(in) == 0 {
			continue
		}
		ref, valid := in[0].Ref, in[0].Outcome.Sample
		for _, t := range tampers {
			o := p.Send(ctx, ep, t.build(p.URL(ep)), identity.Creds{}, nil)
			o.Label = t.name + " without credentials"
			if o.Sample.Unusable() != "" || !t.served(o.Sample, valid, ref) {
				continue
			}
			again := p.Send(ctx, ep, t.build(p.URL(ep)), identity.Creds{}, nil)
			if again.Sample.Unusable() != "" || !t.served(again.Sample, valid, ref) {
				p.Note(fmt.Sprintf("%s: %s served once without credentials, not on reproduction (%s)", ep.Key(), t.name, status(again)))
				continue
			}
			ctl := sendAnon(ctx, p, ep, ref)
			if !refusedOutcome(ctl) {
				p.Note(fmt.Sprintf("%s: %s served without credentials, but the anonymous GET was not refused on reproduction (%s)", ep.Key(), t.name, status(ctl)))
				continue
			}
			report(p, ruleMethod, ep, "", finding.Confirmed, again,
				fmt.Sprintf("%s without credentials was served like identity %s's GET, while an anonymous GET is refused", t.name, in[0].Identity),
				fmt.Sprintf("%s answered %d twice with the valid answer's content", t.name, again.Sample.Status),
				fmt.Sprintf("the anonymous GET was refused (status %d)", ctl.Sample.Status))
			break
		}
	}
	if p.AllowWrites() {
		writesOpen(ctx, p)
	}
}

// writesOpen: a POST on a path whose GET is gated, served without
// credentials. The matrix holds reads only, so the POSTs come from the
// inventory (siblings: never PUT, PATCH or DELETE in place, path
// parameters only with a throwaway identity's values), sent with the
// configured or spec body, else {}.
func writesOpen(ctx context.Context, p *probe.Pass) {
	throwaways := throwawaySelves(ctx, p)
	for _, get := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		g := rowOf(p, get)
		if get.Method != http.MethodGet || !g.refused() || conventionallyPublic(get.Path) || deniesEveryone(g) {
			continue
		}
		for _, ep := range siblings(p.Inventory(), get) {
			if ep.Path != get.Path || p.Proven(ruleMethod, ep) {
				continue
			}
			ep, ok := fill(ep, throwaways)
			if !ok {
				continue
			}
			again := p.Send(ctx, ep, writeRequest(p, ep), identity.Creds{}, nil)
			again.Label = "no credential"
			if again.Sample.Unusable() != "" || !oracle.Served(again.Sample) || failed(again.Sample.Body) {
				continue
			}
			ctl := sendAnon(ctx, p, get, nil)
			if !denied(ctl.Sample) {
				continue
			}
			report(p, ruleMethod, ep, "", finding.Firm, again,
				fmt.Sprintf("%s without credentials was served (%d) while GET %s refuses anonymous requests", ep.Method, again.Sample.Status, ep.Path),
				fmt.Sprintf("anonymous %s answered %d", ep.Method, again.Sample.Status),
				fmt.Sprintf("the anonymous GET was refused (status %d)", ctl.Sample.Status))
		}
	}
}

// deniesEveryone: every identity the matrix tried was refused too — the
// GET is closed to all, not gated by a login.
func deniesEveryone(r row) bool {
	tried := 0
	for _, c := range r.cells {
		if c.Variant != slots.CellIdentity || c.Outcome == nil || c.Outcome.Sample == nil {
			continue
		}
		tried++
		if !denied(c.Outcome.Sample) {
			return false
		}
	}
	return tried > 0
}
