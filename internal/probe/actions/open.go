package actions

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// maxOpen bounds the write endpoints an effect proof is tried on.
const maxOpen = 12

// openWrite is one write endpoint an anonymous caller may have changed
// something through, and what was shown.
type openWrite struct {
	ep     *inventory.Endpoint
	anon   *probe.Outcome
	effect *effect
	// as are the identities' answers to the same write.
	as map[string]*probe.Outcome
	// minted: the effect is a working credential handed to anyone, which
	// a self-service sign-up may intend (medium, not high).
	minted bool
}

// openWrites is missing authentication with no refusing sibling: on an
// API that authenticates anything at all (authn), a write endpoint is
// tried without credentials with a marked body; a listing that then
// shows the mark (a record made, a record's field changed, a record
// gone) proves the write took effect. The records made are deleted
// again, without credentials first (a delete that works so is one more
// finding), then as each identity. A write served anonymously without a
// read that shows its effect is a low review item; one meant for
// anonymous callers (it takes or issues a credential) is nothing.
func openWrites(ctx context.Context, p *probe.Pass, ws, cands []*write, ids []principal, refused func(*oracle.Sample) bool) {
	why := authn(p, ws, ids, refused)
	if why == "" || len(cands) == 0 {
		return
	}
	ls := listingsOf(p, ids)
	var recs []*record
	var out []*openWrite
	sort.SliceStable(cands, func(i, j int) bool { return !hasParams(cands[i].ep) && hasParams(cands[j].ep) })
	for i, w := range cands {
		if ctx.Err() != nil || i >= maxOpen {
			break
		}
		if byDesign(p, w) != "" {
			// Meant for anonymous callers, unless it hands anyone who
			// proves nothing a credential that works.
			if takesCredential(p, w) == "" {
				if e := mintedForAnyone(ctx, p, w, refused); e != nil {
					out = append(out, &openWrite{ep: w.ep, anon: w.anon, as: w.as, effect: e, minted: true})
				}
			}
			continue
		}
		ow := &openWrite{ep: w.ep, anon: w.anon, as: w.as}
		if !hasParams(w.ep) {
			var r *record
			ow.effect, r = proveCreate(ctx, p, w, ls)
			if r != nil {
				recs = append(recs, r)
			}
		} else {
			ow.effect = proveUpdate(ctx, p, w, recs)
			if ow.effect == nil && (w.anon == nil || !refused(w.anon.Sample)) && !addressable(p, w.ep, recs) {
				p.NotRun(fmt.Sprintf("%s without credentials: effect not tried: no record of the scan's own to address (records the API or other users hold are never changed; the probe used an id nobody has)", w.ep.Key()))
			}
		}
		out = append(out, ow)
	}
	out = withRevocations(ctx, p, ws, out, refused)
	dels, gate := cleanup(ctx, p, recs, ids)
	out = append(out, dels...)
	control := "the API authenticates other requests: " + why
	if gate != "" {
		control = gate
	}
	for _, ow := range out {
		noteEffect(p, ow.ep, ow.effect)
		report(p, ow, why, control, refused)
	}
}

func report(p *probe.Pass, ow *openWrite, why, control string, refused func(*oracle.Sample) bool) {
	f := catalog.New(RuleMissing)
	f.Endpoint = &finding.Endpoint{Method: ow.ep.Method, Path: ow.ep.Path}
	pass := &probe.Pass{Env: p.Env}
	switch {
	case ow.effect != nil && !publicName(ow.ep.Path):
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("a %s without any credential took effect (%s), on an API that authenticates callers (%s)", ow.ep.Method, ow.effect.proof, why)
		f.Evidence = pass.Evidence(ow.effect.o, ow.effect.proof, control)
		if ow.minted {
			f.Severity = finding.Medium
			f.Message += "; if anyone is meant to sign up for a credential, throttle and account for the minting"
		}
	case ow.anon != nil && oracle.Served(ow.anon.Sample) && !refused(ow.anon.Sample) && !unlikeServed(ow):
		f.Severity = finding.Low
		f.Confidence = finding.Firm
		what := "no read shows what it changed"
		if ow.effect != nil {
			what = "its path names an endpoint often meant for anonymous callers"
		}
		f.Message = fmt.Sprintf("review: a %s without any credential was served (%s) on an API that authenticates callers (%s); %s, so it is not proven",
			ow.ep.Method, status(ow.anon), why, what)
		f.Evidence = pass.Evidence(ow.anon, "the write was served without credentials ("+status(ow.anon)+")", control)
	default:
		return
	}
	p.Report(f)
}

// unlikeServed: the anonymous answer is empty where an identity sending
// the same write got something else — a body, or another status (its 404
// for an id nobody has, past the gate): an API that says no with a bare
// 204. Nothing shows the anonymous write was served.
func unlikeServed(ow *openWrite) bool {
	if len(bytes.TrimSpace(ow.anon.Sample.Body)) > 0 {
		return false
	}
	for _, o := range ow.as {
		if o == nil || o.Sample == nil || o.Sample.Err != nil || o.Sample.Status == 0 {
			continue
		}
		if o.Sample.Status != ow.anon.Sample.Status || len(bytes.TrimSpace(o.Sample.Body)) > 0 {
			return true
		}
	}
	return false
}

// authn says why the API is taken to authenticate anything at all, ""
// when nothing shows it: a request refused without credentials and served
// to an identity, a security requirement of the spec, a credential the
// code checks on a route, or a login that gave an identity a credential.
func authn(p *probe.Pass, ws []*write, ids []principal, refused func(*oracle.Sample) bool) string {
	for _, w := range ws {
		if w.anon == nil || !refused(w.anon.Sample) {
			continue
		}
		for _, pr := range ids {
			if o := w.as[pr.id.Name]; o != nil && oracle.Served(o.Sample) && !refused(o.Sample) {
				return fmt.Sprintf("%s refused a request without credentials and served %s", w.ep.Key(), pr.id.Name)
			}
		}
	}
	for _, ep := range p.Endpoints() {
		cells := p.Matrix(ep)
		if len(cells) == 0 || cells[0].Verdict() != oracle.Rejected {
			continue
		}
		for _, c := range cells[1:] {
			if c.Identity != "" && c.Verdict() == oracle.Accepted {
				return fmt.Sprintf("%s refused a request without credentials and served %s", ep.Key(), c.Identity)
			}
		}
	}
	inv := p.Inventory()
	for i := range inv.Endpoints {
		if sec := declared(&inv.Endpoints[i]); sec != "" {
			return fmt.Sprintf("the spec requires %s on %s", sec, inv.Endpoints[i].Key())
		}
	}
	if ep := inv.ChecksCredentialAnywhere(); ep != nil {
		return fmt.Sprintf("the code checks a credential (%s) on %s (%s:%d)", strings.Join(ep.Expects, " or "), ep.Key(), ep.File, ep.Line)
	}
	for _, pr := range ids {
		if pr.id.Login != nil && !pr.creds.Empty() {
			return fmt.Sprintf("%s signs in at %s and is given a credential", pr.id.Name, pr.id.Login.URL)
		}
	}
	return ""
}

// byDesign says why a write is meant for anonymous callers: it takes a
// credential (a login, registration or reset form: its body, the
// handler's or the spec's) or its answer issues one.
func byDesign(p *probe.Pass, w *write) string {
	if k := takesCredential(p, w); k != "" {
		return "its body takes " + k
	}
	if w.anon != nil && w.anon.Sample != nil {
		if w.anon.Sample.Header.Get("Set-Cookie") != "" {
			return "its answer sets a cookie"
		}
		if path, _ := mintedValue(w.anon.Sample.Body, nil); path != "" {
			return "its answer issues " + path
		}
	}
	return ""
}

// credentialIn is a credential field of a body, its envelopes included
// ({"user": {"password": ...}}).
func credentialIn(b map[string]any, depth int) string {
	if depth > 3 {
		return ""
	}
	for k, v := range b {
		if credentialField(k) {
			return k
		}
		if m, ok := v.(map[string]any); ok {
			if f := credentialIn(m, depth+1); f != "" {
				return f
			}
		}
	}
	return ""
}

func hasParams(ep *inventory.Endpoint) bool { return strings.Contains(ep.Path, "{") }

// addressable: one of the scan's own records fills ep's path.
func addressable(p *probe.Pass, ep *inventory.Endpoint, recs []*record) bool {
	for _, r := range recs {
		if _, ok := urlFor(p, ep, r); ok {
			return true
		}
	}
	return false
}

// cleanup deletes the records the proofs made through the DELETE whose
// path names them: without credentials first (the record gone is that
// DELETE's own missing authentication), then as each identity. gate
// describes a delete refused without credentials and done for an
// identity, the control of the other findings.
func cleanup(ctx context.Context, p *probe.Pass, recs []*record, ids []principal) ([]*openWrite, string) {
	var out []*openWrite
	gate := ""
	inv := p.Inventory()
	for _, r := range recs {
		done := r.removed // a form the page offers took it away already
		for i := range inv.Endpoints {
			ep := &inv.Endpoints[i]
			if ep.Method != http.MethodDelete || done {
				continue
			}
			u, ok := urlFor(p, ep, r)
			if !ok {
				continue
			}
			o := p.Send(probe.WithLabel(ctx, "no credential (cleanup)"), ep, &httpx.Request{Method: http.MethodDelete, URL: u, Header: http.Header{}}, identity.Creds{}, nil)
			if gone(ctx, p, r) {
				out = append(out, &openWrite{ep: ep, anon: o, effect: &effect{o: o, proof: fmt.Sprintf("%s without any credential (%s) on the record the scan made (id %s), which %s then no longer listed", ep.Key(), status(o), r.id, r.in.ep.Key())}})
				done = true
				break
			}
			for _, pr := range ids {
				d := p.Send(probe.WithLabel(ctx, pr.id.Name+" (cleanup)"), ep, &httpx.Request{Method: http.MethodDelete, URL: u, Header: http.Header{}}, pr.creds, nil)
				if gone(ctx, p, r) {
					if gate == "" {
						gate = fmt.Sprintf("the API authenticates: %s without credentials left the scan's record %s in place (%s); as %s it deleted it (%s)", ep.Key(), r.id, status(o), pr.id.Name, status(d))
					}
					done = true
					break
				}
			}
		}
		if !done {
			p.Note(fmt.Sprintf("actions: the record %s an anonymous write made (marked %s, listed by %s) was left in place: no DELETE removed it", r.id, r.markers[0], r.in.ep.Key()))
		}
	}
	return out, gate
}

func gone(ctx context.Context, p *probe.Pass, r *record) bool {
	body := r.in.read(ctx, p)
	if body == nil {
		return false
	}
	for _, m := range r.markers {
		if strings.Contains(string(body), m) {
			return false
		}
	}
	return true
}

// without is b less the keys of drop.
func without(b map[string]any, drop map[string]string) map[string]any {
	if len(drop) == 0 {
		return b
	}
	out := make(map[string]any, len(b))
	for k, v := range b {
		if _, ok := drop[k]; !ok {
			out[k] = v
		}
	}
	return out
}
