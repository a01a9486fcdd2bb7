package accounts

import (
	"context"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// LateChecks run after the write phase (--allow-writes): writes on the
// accounts the scan registered, as another identity and as the account
// itself, then the accounts' deletion.
func LateChecks() []probe.Check {
	return []probe.Check{{
		ID: "account.writes", Scope: probe.PerScan, Rules: []string{ruleBOLAWrite, ruleMass, "leak.other-principal-data"}, Run: runWrites,
		Doc: "(--allow-writes) another identity changes or deletes an account the scan registered (read back); the account sets fields of its own profile that its answers show but its update does not take (read back); the accounts are deleted at the end where the API lets them be",
	}}
}

// party is one principal of these checks.
type party struct {
	name  string
	creds identity.Creds
}

func runWrites(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	res := From(p.Env)
	if res == nil || len(res.Plain) == 0 {
		if throwawaySelfUpdate(ctx, p) {
			p.NotRun("accounts: writes on another identity's account: the scan made no account that logs in, and configured identities other than throwaway ones are never changed")
			if res != nil {
				deleteAccounts(context.WithoutCancel(ctx), p, res)
			}
			return
		}
		p.NotRun("accounts: writes on accounts (another identity's update or delete, self-update mass assignment): the scan made no account that logs in, and configured identities are never changed")
		if res != nil {
			deleteAccounts(context.WithoutCancel(ctx), p, res)
		}
		return
	}
	defer deleteAccounts(context.WithoutCancel(ctx), p, res)
	selves := principal.Selves(ctx, p.Env)
	own := res.Plain[0]
	if c, err := own.Identity.Creds(ctx, p.Session()); err == nil {
		selfUpdate(ctx, p, own, selfOf(selves, own, c), c)
	}
	victim := res.Plain[len(res.Plain)-1]
	attacker := attackerFor(ctx, p, res, victim)
	if attacker == nil {
		p.NotRun("accounts: writes on another identity's account: no second account the scan made and no throwaway identity to send them (a configured identity is never risked)")
		return
	}
	vc, err := victim.Identity.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	crossWrites(ctx, p, res, victim, selfOf(selves, victim, vc), vc, attacker)
}

// attackerFor is the identity that sends the writes on the victim: another
// account the scan made, else a configured throwaway one, never an
// administrator. A write the API applies to its caller instead of the
// path's account then still changes only what the scan may spend.
func attackerFor(ctx context.Context, p *probe.Pass, res *Result, victim *Account) *party {
	made := map[string]bool{}
	for _, a := range res.Plain {
		made[a.Name] = true
	}
	admin := principal.Admins(ctx, p.Env)
	for _, pass := range []func(*identity.Identity) bool{
		func(id *identity.Identity) bool { return made[id.Name] },
		func(id *identity.Identity) bool { return id.Throwaway },
	} {
		for _, id := range p.Identities() {
			if _, isAdmin := admin[id.Name]; id.Name == victim.Name || isAdmin || !pass(id) {
				continue
			}
			if c, err := id.Creds(ctx, p.Session()); err == nil {
				return &party{name: id.Name, creds: c}
			}
		}
	}
	return nil
}

// selfOf is what the API says the account is: its self among the scan's
// identities (or from its login alone, for one that is not), taught its
// registration answer too (the new record's id, which no login may tell).
func selfOf(selves []*principal.Self, acc *Account, creds identity.Creds) *principal.Self {
	s := principal.Named(selves, acc.Name)
	if s == nil {
		s = principal.Of(acc.Identity, creds)
	}
	s.Learn(acc.Answer, "registration answer")
	return s
}
