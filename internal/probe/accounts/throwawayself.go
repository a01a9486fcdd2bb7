package accounts

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// throwawaySelfUpdate runs the self-update (mass assignment on the
// caller's own record, PUT /api or PUT /me naming no object) as a
// configured throwaway identity when the scan registered no account: the
// config says that identity may be changed, and the update changes only
// its own record (the write guard lets only a throwaway send a write
// naming no object). Administrators are never used; the identity is never
// deleted here. It reports whether it ran.
func throwawaySelfUpdate(ctx context.Context, p *probe.Pass) bool {
	admin := principal.Admins(ctx, p.Env)
	selves := principal.Selves(ctx, p.Env)
	for _, id := range p.Identities() {
		if _, isAdmin := admin[id.Name]; !id.Throwaway || isAdmin {
			continue
		}
		c, err := id.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		self := principal.Named(selves, id.Name)
		if self == nil {
			self = principal.Of(id, c)
		}
		acc := &Account{Name: id.Name, How: "configured (throwaway)", State: "configured", Identity: id}
		for _, v := range self.Values() {
			if len(v) >= 4 { // a value short enough to be anyone's names no record
				acc.names = append(acc.names, v)
			}
		}
		if len(acc.names) == 0 {
			continue
		}
		p.Note(fmt.Sprintf("accounts: the scan made no account that logs in: %s (throwaway) updates its own record instead", id.Name))
		selfUpdate(ctx, p, acc, self, c)
		return true
	}
	return false
}
