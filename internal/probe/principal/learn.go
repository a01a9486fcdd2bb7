package principal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// identityKeys name the fields that say who a principal is, in tokens,
// login bodies and profile answers.
var identityKeys = map[string]bool{
	"sub": true, "id": true, "userid": true, "uid": true, "username": true, "user": true, "login": true,
	"email": true, "mail": true, "emailaddress": true, "identity": true, "preferredusername": true,
	"accountid": true, "customerid": true, "memberid": true, "handle": true,
}

// IsIdentityKey reports whether a field name says who a principal is.
func IsIdentityKey(k string) bool { return identityKeys[Norm(k)] }

// Of builds an identity's self from its configuration and credentials:
// the user fields of its login body (or the user name of the Basic
// header it logs in with), the identity claims of any JWT among
// its credentials, and the record of its login answer that names it.
func Of(id *identity.Identity, creds identity.Creds) *Self {
	s := NewSelf(id.Name)
	s.Admin = id.Admin()
	if id.Login != nil {
		for _, path := range id.Login.JSON.Paths() {
			last := path[strings.LastIndex(path, ".")+1:]
			if !identityKeys[Norm(last)] && Norm(last) != "name" {
				continue
			}
			if v, ok := id.Login.JSON.Lookup(path); ok {
				s.Add(v, "login body "+path)
			}
		}
		for k, v := range id.Login.Form {
			if identityKeys[Norm(k)] || Norm(k) == "name" {
				s.Add(v, "login form "+k)
			}
		}
		// A login that buys its token with HTTP Basic names the user in
		// its Authorization header.
		for k, v := range id.Login.Header {
			r := &http.Request{Header: http.Header{"Authorization": {v}}}
			if u, _, ok := r.BasicAuth(); ok && strings.EqualFold(k, "Authorization") {
				s.Add(u, "login basic username")
			}
		}
	}
	// A credential that is HTTP Basic itself names the user too.
	for _, v := range creds.Headers {
		if u, _, ok := identity.ParseBasic(v); ok {
			s.Add(u, "basic username")
		}
	}
	for _, v := range creds.Secrets() {
		for k, c := range Claims(v) {
			if identityKeys[Norm(k)] || idClaim(k) {
				s.Add(c, "token claim "+k)
			}
			if m, ok := c.(map[string]any); ok { // flask-jwt-extended identity dicts
				for kk, cc := range m {
					if identityKeys[Norm(kk)] {
						s.Add(cc, "token claim "+k+"."+kk)
					}
				}
			}
		}
	}
	s.Learn(id.LoginAnswer(), "login answer")
	return s
}

// Learn adds the identity fields of every record in body that already
// names the identity (by one of its values in an identity field): a
// profile or login answer tells its id, e-mail and user name together.
func (s *Self) Learn(body []byte, from string) { s.learn(body, from, false) }

func (s *Self) learn(body []byte, from string, own bool) {
	var v any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return
	}
	walk(v, 0, func(m map[string]any) {
		named := false
		for k, x := range m {
			if (identityKeys[Norm(k)] || own && Norm(k) == "name") && s.Has(x) {
				named = true
				break
			}
		}
		if !named {
			return
		}
		for k, x := range m {
			if identityKeys[Norm(k)] {
				s.Add(x, from+" "+k)
			}
		}
	})
}

// Selves builds every identity's self and teaches each the values its
// login path gives a route's placeholders (/shop/v1/{user_id}/login
// logged in as /shop/v1/101/login) and its own answers: the 2xx answers
// it got on GET endpoints without path parameters (a profile, /me, the
// login answer) that name it.
func Selves(ctx context.Context, env probe.Env) []*Self {
	var out []*Self
	for _, id := range env.Identities() {
		creds, err := id.Creds(ctx, env.Session())
		if err != nil {
			continue
		}
		s := Of(id, creds)
		s.LearnLoginPath(id.Login, env.Inventory())
		for _, ep := range env.Endpoints() {
			if ep.Method != http.MethodGet {
				continue
			}
			cells := env.Matrix(ep)
			for _, c := range cells {
				if c.Variant != slots.CellIdentity || c.Identity != id.Name || !served(c) {
					continue
				}
				switch {
				case !strings.Contains(ep.Path, "{"):
					s.Learn(c.Outcome.Sample.Body, fmt.Sprintf("%s answer", ep.Key()))
				case refusedToOther(c, cells):
					s.LearnOwn(c.Outcome.Sample.Body, fmt.Sprintf("%s answer (its own: refused to another identity)", ep.Key()))
				}
			}
		}
		out = append(out, s)
	}
	learnProfiles(env, out)
	return out
}

// Named returns the self of an identity name, or nil.
func Named(selves []*Self, name string) *Self {
	for _, s := range selves {
		if s.Name == name {
			return s
		}
	}
	return nil
}
