package accounts

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// Login states of a fresh login (loginState).
const (
	loginOK      = "ok"
	loginRefused = "refused"
)

// loginState logs the account in afresh with password (a copy of its
// identity: the scan's own is left as it is): loginOK, loginRefused when
// the answer is a refusal (401, 403, a 4xx error, a 2xx error envelope;
// never a 429 or a server error), else "".
func loginState(ctx context.Context, p *probe.Pass, res *Result, acc *Account, password string) string {
	if acc.Identity == nil || acc.Identity.Login == nil || res == nil || res.Registrar == nil {
		return ""
	}
	l := res.Registrar.loginAs(acc.Identity.Login, "", password)
	cp := &identity.Identity{Name: acc.Name + " (fresh login)", Login: l, Throwaway: true, Base: acc.Identity.Base.Clone()}
	if _, err := cp.Creds(ctx, p.Session()); err == nil {
		return loginOK
	}
	u, err := p.Session().Resolve(l.URL)
	if err != nil {
		return ""
	}
	req := loginRequest(u, l)
	req.Identity = acc.Name + " (fresh login, answer read)"
	o := p.Send(ctx, nil, req, identity.Creds{}, nil)
	if o.Sample.Status != http.StatusTooManyRequests && oracle.Refusal(o.Sample) {
		return loginRefused
	}
	return ""
}

// goneWhy says how a DELETE of the account shows: its record's GET (as
// the administrator that deleted it, else as the account) now answers
// 404/410, or (when it logged in just before) its login is now
// refused; "" when neither.
func goneWhy(ctx context.Context, p *probe.Pass, acc *Account, t target, loggedBefore bool, deleter *party) string {
	res := From(p.Env)
	if t.read != nil && deleter != nil && !t.byCreds {
		// An administrator deleted it: its read of the record (a path
		// naming the account, not the caller's own /me) now finds none,
		// where the account's own token may no longer be answered at all.
		o := get(ctx, p, t.read, deleter.creds)
		if o.Sample.Status == http.StatusNotFound || o.Sample.Status == http.StatusGone {
			return fmt.Sprintf("%s as %s now answers %d", t.read.Key(), deleter.name, o.Sample.Status)
		}
	}
	if t.read != nil {
		if vc, err := acc.Identity.Creds(ctx, p.Session()); err == nil {
			o := get(ctx, p, t.read, vc)
			if o.Sample.Status == http.StatusNotFound || o.Sample.Status == http.StatusGone {
				return fmt.Sprintf("%s now answers %d", t.read.Key(), o.Sample.Status)
			}
			// Served, but without the record it answered before (an API
			// that answers an unknown id {"message": []} with 200).
			if oracle.Served(o.Sample) && o.Sample.Unusable() == "" && record(o.Sample.Body, acc) == nil && !names(o.Sample.Body, acc) {
				return fmt.Sprintf("%s now answers %d without the account's record", t.read.Key(), o.Sample.Status)
			}
		}
	}
	if loggedBefore && loginState(ctx, p, res, acc, acc.Password) == loginRefused {
		return "the account's login, accepted just before, is now refused"
	}
	return ""
}

// deleteAccounts deletes every account the scan made that is still there,
// where the API lets it: a DELETE of the account's own record (DELETE
// /me, or a path its values fill) sent as the account, else the same
// DELETE as an administrator (role: admin, else one principal.Admins
// learns from the API). Each account's state says what
// became of it.
func deleteAccounts(ctx context.Context, p *probe.Pass, res *Result) {
	var admins []*party
	// The configured administrators, else those the API shows as such
	// (its records, or what only they reach): a DELETE of a user record
	// that only an administrator may send is theirs.
	admin := principal.Admins(ctx, p.Env)
	for _, id := range p.Identities() {
		if _, ok := admin[id.Name]; !ok {
			continue
		}
		if c, err := id.Creds(ctx, p.Session()); err == nil {
			admins = append(admins, &party{name: id.Name, creds: c})
		}
	}
	// The account registered with privileged fields, once the registration
	// check proved they took, is an administrator the scan made: it may
	// delete the others, and itself last.
	accs := res.Accounts
	if priv := res.Privileged; priv != nil && res.Registrar != nil && p.Proven(ruleMass, &inventory.Endpoint{Method: res.Registrar.Method, Path: res.Registrar.Path}) {
		if c, err := priv.Identity.Creds(ctx, p.Session()); err == nil {
			admins = append(admins, &party{name: priv.Name, creds: c})
			accs = nil
			for _, a := range res.Accounts {
				if a != priv {
					accs = append(accs, a)
				}
			}
			accs = append(accs, priv)
		}
	}
	for _, acc := range accs {
		if acc.State != "left" || acc.Identity == nil {
			continue
		}
		creds, err := acc.Identity.Creds(ctx, p.Session())
		if err != nil {
			acc.State = "left (it could not log in to find its delete)"
			continue
		}
		self := selfOf(principal.Selves(ctx, p.Env), acc, creds)
		targets, _ := targetsOf(ctx, p, acc, self, creds, http.MethodDelete)
		if len(targets) == 0 {
			acc.State = "left (no DELETE of the account's own record)"
			continue
		}
		logged := loginState(ctx, p, res, acc, acc.Password) == loginOK
		acc.State = deleteOne(ctx, p, acc, targets, &party{name: acc.Name, creds: creds}, admins, logged)
		p.Note(fmt.Sprintf("accounts: %s %s", acc.Name, acc.State))
	}
}

func deleteOne(ctx context.Context, p *probe.Pass, acc *Account, targets []target, own *party, admins []*party, logged bool) string {
	last := ""
	for _, who := range append([]*party{own}, admins...) {
		for _, t := range targets {
			if t.byCreds && who != own || who.name == acc.Name && who != own {
				continue // DELETE /me as the admin deletes the admin
			}
			o := p.Send(ctx, t.ep, jsonWrite(p, t.ep, nil), who.creds, nil)
			o.Label = who.name + " deletes account " + acc.Name + " (cleanup)"
			if !oracle.Served(o.Sample) {
				last = fmt.Sprintf("left (%s as %s answered %d)", t.ep.Key(), who.name, o.Sample.Status)
				continue
			}
			var deleter *party
			if who != own {
				deleter = who
			}
			if why := goneWhy(ctx, p, acc, t, logged, deleter); why != "" {
				how := t.ep.Key()
				if who != own {
					how += " as " + who.name
				}
				return "deleted (" + how + ")"
			}
			last = fmt.Sprintf("left (%s as %s answered %d, yet the account is still there)", t.ep.Key(), who.name, o.Sample.Status)
		}
	}
	return last
}
