package actions

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	pkgprincipal "github.com/authprobe/authprobe/internal/probe/principal"
)

// action tries an action endpoint (its path or body names an object) as
// one identity with an id only another identity owns, no collection
// needed. Proof: the attacker is served with the other's id, a made-up id
// of the same shape is not served alike (the id is looked up), and the
// request without credentials is refused (the endpoint authenticates; an
// open one is missing authentication, reported once, not here).
func action(ctx context.Context, p *probe.Pass, w *write, ids []principal, owned map[string]ownedIDs, mint minters, refused func(*oracle.Sample) bool) {
	if oracle.Served(w.anon.Sample) && !refused(w.anon.Sample) || p.Proven(RuleBOLAWrite, w.ep) || w.create != nil {
		return
	}
	// An identity the API shows as privileged (its records, or what only
	// it reaches) changes others' objects by its role.
	admin := pkgprincipal.Admins(ctx, p.Env)
	var users []principal
	for _, pr := range ids {
		if _, ok := admin[pr.id.Name]; !ok {
			users = append(users, pr)
		}
	}
	for _, s := range idSlots(w.ep, w.body) {
		for _, attacker := range users {
			for _, victim := range users {
				if attacker.id == victim.id {
					continue
				}
				// A fresh object of the victim's, made by the write
				// whose answers name objects like the slot, first;
				// else the first id only the victim's answers list.
				var theirs []string
				if id := mintFor(ctx, p, mint, w, s, victim, owned[victim.id.Name]); id != "" {
					theirs = append(theirs, id)
				}
				seeded := exclusive(owned, victim.id.Name, s.name)
				if victim.id.Throwaway {
					// A throwaway identity's own objects may be changed
					// (config throwaway: true): the write guard is told.
					for _, id := range seeded {
						probe.Made(p.Env, id)
					}
				}
				theirs = append(theirs, seeded...)
				if len(theirs) == 0 {
					continue
				}
				switch tryAction(ctx, p, w, s, attacker, victim, theirs[0], owned) {
				case reported, moot:
					return
				}
			}
		}
	}
}

// tried is what one attempt of an action showed.
type tried int

const (
	notShown tried = iota // try the next pair
	reported              // a finding: done
	moot                  // a made-up id is served alike: ownership cannot be tested here
)

func tryAction(ctx context.Context, p *probe.Pass, w *write, s slot, attacker, victim principal, id string, owned map[string]ownedIDs) tried {
	own := owned[attacker.id.Name]
	u, body := fill(p, w.ep, w.body, own, map[string]string{s.name: id})
	label := fmt.Sprintf("%s acts on %s's %s %s", attacker.id.Name, victim.id.Name, s.name, id)
	o := send(ctx, p, w.ep, u, body, attacker.creds, label)
	if !oracle.Served(o.Sample) {
		return notShown
	}
	fake := madeUp(p, id)
	cu, cbody := fill(p, w.ep, w.body, own, map[string]string{s.name: fake})
	ctl := send(ctx, p, w.ep, cu, cbody, attacker.creds, attacker.id.Name+" acts on a made-up id (control)")
	if oracle.Served(ctl.Sample) && oracle.Similarity(ctl.Sample.Shape(), o.Sample.Shape()) >= 0.8 {
		p.Note(fmt.Sprintf("actions: %s served %s with %s's %s, but a made-up id alike (%s): ownership not tested", w.ep.Key(), attacker.id.Name, victim.id.Name, s.name, status(ctl)))
		return moot
	}
	anon := send(ctx, p, w.ep, u, body, identity.Creds{}, "no credential (control)")
	if !oracle.Refusal(anon.Sample) && !oracle.SameRefusal(anon.Sample, ctl.Sample) {
		return notShown
	}
	f := catalog.New(RuleBOLAWrite)
	f.Endpoint = &finding.Endpoint{Method: w.ep.Method, Path: w.ep.Path}
	f.Identity = attacker.id.Name
	f.Confidence = finding.Firm
	f.Message = fmt.Sprintf("%s %s as %s, naming %s's %s %s, was served (%s): the action checks the caller's credential, not that the object is theirs",
		w.ep.Method, w.ep.Path, attacker.id.Name, victim.id.Name, s.name, id, status(o))
	pass := &probe.Pass{Env: p.Env}
	f.Evidence = pass.Evidence(o, fmt.Sprintf("served with an id only %s's answers list", victim.id.Name),
		fmt.Sprintf("a made-up id was not served alike (%s); without credentials the request was refused (%s)", status(ctl), status(anon)))
	p.Report(f)
	return reported
}
