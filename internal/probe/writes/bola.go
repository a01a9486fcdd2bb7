package writes

import (
	"context"
	"fmt"
	"github.com/authprobe/authprobe/internal/oracle"
	"net/http"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

func bolaUpdate(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner, other *identity.Identity, before map[string]any, why string) {
	for _, u := range t.updates() {
		ep, body, m := u.ep, u.body, u.ep.Method
		field, next := markField(body)
		if field == "" {
			p.Note(fmt.Sprintf("writes: %s: no string or number field to mark; BOLA on update not tested", ep.Key()))
			continue
		}
		// Control: the owner's own update with this body takes effect.
		mark := next()
		mine := reqbody.WithField(body, field, mark)
		ownerCreds, err := owner.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		ctl, learnt := sendLearning(ctx, p, obj, ep, mine, ownerCreds)
		if back, ok := read(ctx, p, obj, owner); !oracle.Served(ctl.Sample) || !ok || fmt.Sprint(back[field]) != fmt.Sprint(mark) {
			p.NotRun(fmt.Sprintf("writes: BOLA on %s: it answered %d to the owner's own update (body from the %s)", ep.Key(), ctl.Sample.Status, t.From))
			continue
		}
		body = learnt
		before = clone(before)
		before[field] = mark
		canary := next()
		for fmt.Sprint(canary) == fmt.Sprint(mark) {
			canary = next()
		}
		changed := reqbody.WithField(body, field, canary)
		creds, err := other.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		o := p.Send(ctx, ep, t.request(m, obj.at(p, ep), changed), creds, nil)
		after, ok := read(ctx, p, obj, owner)
		if !ok || fmt.Sprint(after[field]) != fmt.Sprint(canary) || fmt.Sprint(before[field]) == fmt.Sprint(canary) {
			continue
		}
		f := catalog.New(RuleBOLAWrite)
		f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
		f.Identity = other.Name
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("%s changed %s's object %s: its %q read back as %s", other.Name, owner.Name, obj.id, field, shown(canary))
		f.Evidence = evidence(p, o, fmt.Sprintf("%s read the object back with %s=%s", owner.Name, field, shown(canary)),
			fmt.Sprintf("the object was created by %s and is theirs: %s; before the request %s was %s", owner.Name, why, field, shown(before[field])))
		p.Report(f)
		return
	}
}

func bolaDelete(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner, other *identity.Identity, why string) {
	ep := t.Item[http.MethodDelete]
	if ep == nil || t.Item[http.MethodGet] == nil {
		return
	}
	creds, err := other.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	o, _ := sendLearning(ctx, p, obj, ep, nil, creds)
	if !gone(ctx, p, obj) {
		return
	}
	f := catalog.New(RuleBOLAWrite)
	f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
	f.Identity = other.Name
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("%s deleted %s's object %s: %s's read now answers not found", other.Name, owner.Name, obj.id, owner.Name)
	f.Evidence = evidence(p, o, "the owner's read of the object answers 404 after the other identity's DELETE",
		fmt.Sprintf("the owner read the object before the request; it is theirs: %s", why))
	p.Report(f)
}
