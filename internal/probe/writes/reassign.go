package writes

import (
	"context"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// An update that stores every field it is sent (setattr over the body)
// lets the owner hand its object to another principal: the owner field
// (user_id, author) the create sets from the token is changed by the
// update. The create-side check cannot see it when the create overwrites
// the field; this one sends the owner's own update of a fresh object with
// its owner fields naming a throwaway identity and reads the object back.

// plantee is the identity objects may be planted on: the other identity
// when it is a throwaway one, else the first throwaway identity, neither
// the owner nor an administrator (principal.Admins), that authenticates.
func plantee(ctx context.Context, p *probe.Pass, owner, other *identity.Identity) *identity.Identity {
	if other != nil && other.Throwaway {
		return other
	}
	admin := principal.Admins(ctx, p.Env)
	for _, id := range p.Identities() {
		if _, isAdmin := admin[id.Name]; !id.Throwaway || id == owner || isAdmin {
			continue
		}
		if _, err := id.Creds(ctx, p.Session()); err == nil {
			return id
		}
	}
	return nil
}

// ownerReassign makes a fresh object as the owner, sends the owner's update
// of it with its owner fields set to the plantee's values, and reads it
// back: fields that took the plantee's values are mass assignment. The
// object is then the plantee's, which deletes it in the cleanup.
func ownerReassign(ctx context.Context, p *probe.Pass, t *Target, owner, other *identity.Identity, plain map[string]any, created *[]*object) {
	ups := t.updates()
	if len(ups) == 0 || p.Proven(RuleMassAssignment, ups[0].ep) {
		return
	}
	to := plantee(ctx, p, owner, other)
	if to == nil {
		return
	}
	fields := ownerFields(ctx, p, plain, owner, to)
	if len(fields) == 0 {
		return
	}
	creds, err := owner.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	obj, _ := create(ctx, p, t, owner, t.Body)
	if obj == nil {
		return
	}
	*created = append(*created, obj)
	for _, u := range ups {
		sent := reqbody.WithFields(u.body, fields)
		o := p.Send(ctx, u.ep, t.request(u.ep.Method, obj.at(p, u.ep), sent), creds, nil)
		o.Label = owner.Name + " hands its object to " + to.Name + " (update with owner fields)"
		if !oracle.Served(o.Sample) {
			continue
		}
		back, ok := read(ctx, p, obj, owner)
		if !ok {
			back, ok = read(ctx, p, obj, to)
		}
		if !ok {
			continue
		}
		if taken := takenFields(fields, back, plain); len(taken) > 0 {
			obj.by = to // its owner now: the one who can delete it
			reportMass(p, u.ep, owner, taken, obj.id)
			return
		}
	}
}
