package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	register "github.com/authprobe/authprobe/internal/probe/accounts"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// plainAccounts is how many ordinary accounts the scan registers: with
// them, one configured identity makes three principals.
const plainAccounts = 2

// makeAccounts (with --allow-writes) finds the API's registration,
// registers plain throwaway accounts that join the scan as identities, one
// account with privileged fields (kept apart: the registration check
// compares it with a plain one), and a second registration of a taken
// name. Nothing here decides a finding.
func (s *Scan) makeAccounts(ctx context.Context) {
	send := func(ctx context.Context, req *httpx.Request) *httpx.Response { return s.do(ctx, nil, req) }
	reg, why := register.Find(ctx, send, register.FindOptions{
		Target: s.opt.Target, Inventory: s.opt.Inventory, Identities: s.opt.Identities,
		BodyOf: s.registrationBody, FormOf: s.registrationForm, Flows: s.opt.Settings.Flows, Member: s.registrant,
	})
	if reg == nil {
		s.Note("accounts: none made: " + why)
		return
	}
	res := &register.Result{Registrar: reg}
	s.registration = res
	if body := s.registrationBody(reg.Method + " " + reg.Path); body != nil {
		if added := reg.Expect(body); len(added) > 0 {
			s.Note(fmt.Sprintf("accounts: %s %s: registering with the fields its own body names too (%s)", reg.Method, reg.Path, strings.Join(added, ", ")))
		}
	}
	for i := 1; i <= plainAccounts; i++ {
		acc, resp := reg.Register(ctx, send, fmt.Sprintf("account-%d", i), nil)
		if acc == nil {
			s.Note(fmt.Sprintf("accounts: %s %s refused a registration (%s)", reg.Method, reg.Path, answer(resp)))
			break
		}
		s.opt.Client.Redactor.Add(acc.Password)
		res.Accounts = append(res.Accounts, acc)
		if res.Fresh == nil {
			res.Fresh = acc
		}
		if acc.Identity == nil {
			acc.State = "left (no login to use it)"
			s.Note(fmt.Sprintf("accounts: %s registered through %s %s, but no identity's login can be copied to use it", acc.Name, reg.Method, reg.Path))
			break
		}
		if err := s.addIdentity(ctx, acc.Identity); err != nil {
			s.Note(fmt.Sprintf("accounts: %s registered but could not log in: %v", acc.Name, err))
			acc.State = "left (login failed)"
			continue
		}
		res.Plain = append(res.Plain, acc)
	}
	if res.Fresh == nil {
		s.chooseRole(ctx, send, reg, res)
	}
	if res.Fresh == nil {
		s.takenRefused(ctx, send, reg, res)
		return
	}
	res.DupRequest, res.DupAnswer = reg.Duplicate(ctx, send, res.Fresh)
	if len(res.Plain) == 0 {
		return
	}
	fields := register.PrivilegedFor(s.opt.Identities, func(id *identity.Identity) identity.Creds { return s.creds[id.Name] })
	priv, _ := reg.Register(ctx, send, "account-privileged", fields)
	if priv == nil {
		// Strict schemas refuse unknown fields: one field at a time.
		for _, k := range register.PrivilegedOrder {
			if priv, _ = reg.Register(ctx, send, "account-privileged", map[string]any{k: register.Privileged[k]}); priv != nil {
				break
			}
		}
	}
	if priv == nil {
		return
	}
	s.opt.Client.Redactor.Add(priv.Password)
	res.Accounts = append(res.Accounts, priv)
	if _, err := priv.Identity.Creds(ctx, s.session); err != nil {
		priv.State = "left (login failed)"
		return
	}
	s.opt.Client.Redactor.Add(mustCreds(ctx, s, priv.Identity).Secrets()...)
	res.Privileged = priv
}

// maxChosen bounds the accounts made with a chosen privilege value.
const maxChosen = 2

// chooseRole: a registration that made no account and whose own body
// names a privilege field (a role id looked up for every new user) is
// tried with the values RoleValues gives; each account made logs in and
// is kept apart (res.Chosen) for the registration check to compare with
// a configured member. The first is the reference of a new name.
func (s *Scan) chooseRole(ctx context.Context, send register.Sender, reg *register.Registrar, res *register.Result) {
	k := register.RoleField(s.registrationBody(reg.Method + " " + reg.Path))
	if k == "" {
		return
	}
	creds := func(id *identity.Identity) identity.Creds { return s.creds[id.Name] }
	for _, v := range register.RoleValues(k, s.opt.Identities, creds) {
		if len(res.Chosen) == maxChosen || ctx.Err() != nil {
			return
		}
		acc, _ := reg.Register(ctx, send, fmt.Sprintf("account-%s-%v", k, v), map[string]any{k: v})
		if acc == nil {
			continue
		}
		s.opt.Client.Redactor.Add(acc.Password)
		res.Accounts = append(res.Accounts, acc)
		if acc.Identity == nil {
			acc.State = "left (no login to use it)"
			continue
		}
		if _, err := acc.Identity.Creds(ctx, s.session); err != nil {
			acc.State = "left (login failed)"
			continue
		}
		s.opt.Client.Redactor.Add(mustCreds(ctx, s, acc.Identity).Secrets()...)
		s.Note(fmt.Sprintf("accounts: %s %s made no account without %s; %s registered with %s=%v", reg.Method, reg.Path, k, acc.Name, k, v))
		res.Chosen = append(res.Chosen, acc)
		if res.Fresh == nil {
			res.Fresh = acc
		}
	}
}

// takenRefused: a registration that refused the scan's fresh accounts
// may still answer a name that has an account differently. It is sent
// once more with a fresh name (the reference refusal), then with the
// name a configured identity logs in with, the body otherwise alike: a
// body refused for a fresh name makes no account for a taken one.
func (s *Scan) takenRefused(ctx context.Context, send register.Sender, reg *register.Registrar, res *register.Result) {
	names := register.TakenNames(s.opt.Identities, func(id *identity.Identity) identity.Creds { return s.creds[id.Name] })
	if len(names) == 0 {
		return
	}
	_, ref := reg.Refusal(ctx, send)
	if ref == nil || ref.Err != nil || ref.Status/100 == 2 || reg.RefusesName(ref) {
		return
	}
	name := reg.Fitting(names)
	res.Refused, res.TakenBy = ref, name
	res.DupRequest, res.DupAnswer = reg.Taken(ctx, send, name)
}

func mustCreds(ctx context.Context, s *Scan, id *identity.Identity) identity.Creds {
	c, _ := id.Creds(ctx, s.session)
	return c
}

func answer(resp *httpx.Response) string {
	if resp == nil {
		return "no answer"
	}
	if resp.Err != nil {
		return resp.Err.Error()
	}
	return fmt.Sprintf("status %d", resp.Status)
}

// registrant is a non-administrator identity that logged in, a throwaway one
// first: whose credential a user-creating endpoint that needs a login is
// tried with.
func (s *Scan) registrant() (string, identity.Creds, bool) {
	for _, throwaway := range []bool{true, false} {
		for _, id := range s.opt.Identities {
			if id.Admin() || id.Throwaway != throwaway {
				continue
			}
			if c, ok := s.creds[id.Name]; ok && !c.Empty() {
				return id.Name, c, true
			}
		}
	}
	return "", identity.Creds{}, false
}

// registrationBody is the registration's own body: config bodies:, the
// handler's code (--source), the spec; nil when none says.
func (s *Scan) registrationBody(key string) map[string]any {
	if b, ok := s.opt.Settings.Bodies[key].(map[string]any); ok {
		return reqbody.Payload(b)
	}
	if b, ok := s.opt.Settings.SourceBodies[key]; ok && b.Value != nil {
		return reqbody.Payload(b.Value)
	}
	if b, ok := s.opt.Inventory.Bodies[key]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			return reqbody.Payload(m)
		}
	}
	return nil
}

// registrationForm says whether the handler of key reads a form, when the
// source knows (a JSON body from the spec or config means JSON).
func (s *Scan) registrationForm(key string) (form, known bool) {
	if b, ok := s.opt.Settings.SourceBodies[key]; ok && b.Value != nil {
		return b.Form, true
	}
	if _, ok := s.opt.Settings.Bodies[key].(map[string]any); ok {
		return false, true
	}
	return false, false
}

// Registration returns what the scan learnt registering accounts (nil
// when it registered none).
func (s *Scan) Registration() *register.Result { return s.registration }
