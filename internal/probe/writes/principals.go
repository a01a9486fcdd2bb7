package writes

import (
	"context"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// principals are the owner and the other identity: the first two that are
// not the privileged reference (role admin, else an administrator the API
// shows: principal.Admins). With one such identity only, a learned
// administrator owns and the other attacks its objects; an administrator
// never attacks, reading others' objects is its role.
func principals(ctx context.Context, p *probe.Pass) (owner, other *identity.Identity) {
	learnt := principal.Admins(ctx, p.Env)
	var users, admins []*identity.Identity
	for _, id := range p.Identities() {
		if id.Admin() {
			continue
		}
		if _, err := id.Creds(ctx, p.Session()); err != nil {
			continue
		}
		if _, ok := learnt[id.Name]; ok {
			admins = append(admins, id)
		} else {
			users = append(users, id)
		}
	}
	switch {
	case len(users) >= 2:
		return users[0], users[1]
	case len(users) == 1 && len(admins) > 0:
		return admins[0], users[0]
	case len(users) == 1:
		return users[0], nil
	case len(admins) > 0:
		return admins[0], nil
	}
	return nil, nil
}

// adminOf is the first identity with role admin that can authenticate,
// else the first the API shows as an administrator (principal.Admins).
func adminOf(ctx context.Context, p *probe.Pass) *identity.Identity {
	learnt := principal.Admins(ctx, p.Env)
	for _, pass := range []func(*identity.Identity) bool{
		func(id *identity.Identity) bool { return id.Admin() },
		func(id *identity.Identity) bool { _, ok := learnt[id.Name]; return ok },
	} {
		for _, id := range p.Identities() {
			if !pass(id) {
				continue
			}
			if _, err := id.Creds(ctx, p.Session()); err == nil {
				return id
			}
		}
	}
	return nil
}
