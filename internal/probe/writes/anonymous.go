package writes

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// RuleAnonymousWrite is the auth matrix's rule for a write method served
// without credentials where GET is refused; here proven on the scan's own
// object by reading it back. Where the item's GET is public too, the
// write is plain missing authentication (ruleMissing).
const RuleAnonymousWrite = "authz.method-tampering"

const ruleMissing = "authz.missing-authentication"

// anonymousWrites updates upd and deletes del without any credential; a
// change the owner reads back is the proof. (The generic checks no longer
// send writes, so this is where anonymous writes are tested.)
func anonymousWrites(ctx context.Context, p *probe.Pass, t *Target, upd, del *object, owner *identity.Identity) {
	for _, u := range t.updates() {
		ep, body, m := u.ep, acceptedUpdate(ctx, p, t, upd, owner, u), u.ep.Method
		field, next := markField(body)
		if field == "" {
			continue
		}
		canary := next()
		if _, text := canary.(string); !text {
			// A number may already be the field's value: pick another.
			before, ok := read(ctx, p, upd, owner)
			if !ok {
				continue
			}
			for fmt.Sprint(canary) == fmt.Sprint(before[field]) {
				canary = next()
			}
		}
		changed := reqbody.WithField(body, field, canary)
		o := p.Send(ctx, ep, t.request(m, upd.at(p, ep), changed), identity.Creds{}, nil)
		if back, ok := read(ctx, p, upd, owner); ok && fmt.Sprint(back[field]) == fmt.Sprint(canary) {
			reportAnonymous(p, t, ep, o, fmt.Sprintf("an anonymous %s changed %s's object %s: %q read back as %s", m, owner.Name, upd.id, field, shown(canary)))
		}
	}
	ep := t.Item[http.MethodDelete]
	if ep == nil || del == nil || t.Item[http.MethodGet] == nil {
		return
	}
	if _, ok := read(ctx, p, del, owner); !ok {
		return
	}
	o := p.Send(ctx, ep, &httpx.Request{Method: http.MethodDelete, URL: del.at(p, ep), Header: http.Header{}}, identity.Creds{}, nil)
	if gone(ctx, p, del) {
		reportAnonymous(p, t, ep, o, fmt.Sprintf("an anonymous DELETE deleted %s's object %s: the owner's read now answers not found", owner.Name, del.id))
	}
}

func reportAnonymous(p *probe.Pass, t *Target, ep *inventory.Endpoint, o *probe.Outcome, msg string) {
	rule := ruleMissing
	if get := t.Item[http.MethodGet]; get != nil && getRefused(p, get) {
		// The route checks a credential for reading, not for this
		// method: the check is tied to the method.
		rule = RuleAnonymousWrite
	}
	if p.Proven(rule, ep) {
		return
	}
	f := catalog.New(rule)
	f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
	f.Confidence = finding.Confirmed
	f.Message = msg
	f.Evidence = evidence(p, o, "a request without credentials changed the object (read back by its owner)",
		"the owner read the object before the request")
	p.Report(f)
}

// acceptedUpdate is the update body the owner's own request to u was
// served with: the one recorded this scan, else the plan's body sent as
// the owner (completed from its validation answers). An anonymous update
// refused for its shape proves nothing either way; the plan's body when
// the owner was not served either.
func acceptedUpdate(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner *identity.Identity, u update) map[string]any {
	if b := Accepted(p.Inventory(), u.ep.Key()); b != nil {
		return b
	}
	creds, err := owner.Creds(ctx, p.Session())
	if err != nil {
		return u.body
	}
	body := u.body
	if field, next := markField(body); field != "" {
		body = reqbody.WithField(body, field, next())
	}
	o, sent := sendLearning(ctx, p, obj, u.ep, body, creds)
	o.Label = fmt.Sprintf("%s updates its own object %s (the body an anonymous update is sent with)", owner.Name, obj.id)
	if o.Sample.Status/100 != 2 {
		return u.body
	}
	accept(p.Inventory(), u.ep, sent)
	return sent
}

// getRefused: the item's GET refuses requests without credentials (the
// auth matrix's anonymous cell, or the oracle's reading of its answer).
func getRefused(p *probe.Pass, get *inventory.Endpoint) bool {
	if cells := p.Matrix(get); len(cells) > 0 && cells[0].Verdict() == oracle.Rejected {
		return true
	}
	return oracle.Refusal(p.Anonymous(get))
}
