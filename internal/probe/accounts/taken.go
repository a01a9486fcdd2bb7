package accounts

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// TakenNames are the names the configured identities log in with (the
// user field of a JSON or form login, the user of a Basic login or of a
// Basic credential they carry): names that have accounts, whatever the
// registration makes of a fresh one.
func TakenNames(ids []*identity.Identity, creds func(*identity.Identity) identity.Creds) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, id := range ids {
		if l := id.Login; l != nil {
			if b, how, ok := loginFields(l); ok && how != inBasic {
				tl := &identity.Login{JSON: b, UserField: l.UserField, PasswordField: l.PasswordField}
				if pw := passwordPath(tl); pw != "" {
					if u := userPath(tl, pw); u != "" {
						if v, ok := b.Lookup(u); ok {
							if s, ok := v.(string); ok {
								add(s)
							}
						}
					}
				}
			}
			if u, _, ok := l.Basic(); ok {
				add(u)
			}
		}
		for _, c := range []identity.Creds{id.Base, creds(id)} {
			for _, m := range []map[string]string{c.Headers, c.Cookies, c.Query} {
				for _, v := range m {
					if u, _, ok := identity.ParseBasic(v); ok {
						add(u)
					}
				}
			}
		}
	}
	return out
}

// Refusal registers a fresh name with the body the registration last
// settled on; when it is refused, its answer is the reference a taken
// name's answer is compared with (an API that refuses the scan's
// password, say, may still say a name is taken before it checks it).
func (r *Registrar) Refusal(ctx context.Context, send Sender) (*httpx.Request, *httpx.Response) {
	req := r.post(r.bodyFor(fresh(), nil))
	return req, send(ctx, req)
}

// RefusesName: a refusal that names the field the user name or e-mail
// goes in is about the name itself (too short, not an e-mail): a
// configured identity's name might pass it and make a second account of
// theirs, so no taken name is sent after it.
func (r *Registrar) RefusesName(resp *httpx.Response) bool {
	a := asked(resp.Body)
	for _, k := range []string{last(r.userPath), "email", "username"} {
		if _, ok := a[k]; ok {
			return true
		}
	}
	return false
}

// Taken registers name (a configured identity's, which has an account)
// with the same body as Refusal otherwise: an e-mail goes in the e-mail,
// anything else in the user name.
func (r *Registrar) Taken(ctx context.Context, send Sender, name string) (*httpx.Request, *httpx.Response) {
	c := fresh()
	if strings.Contains(name, "@") {
		c.email = name
	} else {
		c.user = name
	}
	req := r.post(r.bodyFor(c, nil))
	return req, send(ctx, req)
}

// Fitting is the first of names that fits the registration's user field
// (an e-mail for a registration by e-mail or one that asks for one too),
// else the first.
func (r *Registrar) Fitting(names []string) string {
	c := fresh()
	_, asksMail := r.body["email"]
	mail := strings.Contains(r.userValue(c), "@") || asksMail
	for _, n := range names {
		if strings.Contains(n, "@") == mail {
			return n
		}
	}
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// refusedAlike: two answers of a registration that refused both, told
// apart by a name being taken: the taken one says so (or is a 409) and
// the fresh one does not. Status alone is no proof here: the fresh
// name's refusal has a reason of its own.
func refusedAlike(fresh, taken *httpx.Response) bool {
	if fresh == nil || taken == nil || fresh.Err != nil || taken.Err != nil || taken.Status/100 == 2 || fresh.Status/100 == 2 {
		return true
	}
	if saysTaken(taken.Body) && !saysTaken(fresh.Body) {
		return false
	}
	return !(taken.Status == http.StatusConflict && fresh.Status != http.StatusConflict)
}

// enumerationRefused reports a registration that refused every fresh
// account yet answers a configured identity's name as taken: both
// answers reproduced, a new fresh name's as well.
func enumerationRefused(ctx context.Context, p *probe.Pass, res *Result) {
	if refusedAlike(res.Refused, res.DupAnswer) {
		return
	}
	again := p.Send(ctx, nil, res.DupRequest, identity.Creds{}, nil)
	again.Label = "registration of a taken name (reproduced)"
	send := func(ctx context.Context, req *httpx.Request) *httpx.Response { return p.Session().Client.Do(ctx, req) }
	_, ref := res.Registrar.Refusal(ctx, send)
	if again.Sample.Unusable() != "" || refusedAlike(ref, &httpx.Response{Status: again.Sample.Status, Body: again.Sample.Body, Err: again.Sample.Err}) || again.Sample.Status != res.DupAnswer.Status {
		return
	}
	f := catalog.New(ruleEnum)
	f.Endpoint = &finding.Endpoint{Method: res.Registrar.Method, Path: res.Registrar.Path}
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("registering a name that has an account is answered %d%s, a new name %d without it (the registration refused the scan's accounts for a reason of its own): anyone can test which names have accounts",
		res.DupAnswer.Status, taken(res.DupAnswer.Body), ref.Status)
	if !saysTaken(res.DupAnswer.Body) {
		f.Message = fmt.Sprintf("registering a name that has an account is answered %d, a new name %d (the registration refused the scan's accounts for a reason of its own): anyone can test which names have accounts",
			res.DupAnswer.Status, ref.Status)
	}
	f.Evidence = (&probe.Pass{Env: p.Env}).Evidence(again, "the taken name is the one configured identity "+res.TakenBy+" logs in with", "a fresh name with the same body is refused without saying it is taken")
	p.Report(f)
}
