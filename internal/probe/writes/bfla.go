package writes

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// RuleBFLA is the auth matrix's rule: a non-admin reaching an admin
// function, here a write.
const RuleBFLA = "authz.bfla"

// AdminOnly: the config policy keeps the write from the non-admin
// identity, or (no policy for it) its path is administrative.
func AdminOnly(policy map[string][]string, ep *inventory.Endpoint, nonAdmin string) bool {
	matched := false
	for pat, who := range policy {
		if !inventory.PolicyMatch(pat, ep) {
			continue
		}
		matched = true
		for _, w := range who {
			if w == nonAdmin {
				return false
			}
		}
	}
	if matched {
		return true
	}
	return inventory.AdminPath(ep.Path)
}

// bfla runs an admin-only target: the admin creates (control), the
// non-admin creates too, then updates and deletes the admin's object;
// each success is proven by the admin reading back. Every object is
// cleaned up by the admin.
func bfla(ctx context.Context, p *probe.Pass, t *Target, admin, user *identity.Identity, created *[]*object) {
	mine, st := create(ctx, p, t, admin, t.Body)
	if mine == nil {
		p.NotRun(fmt.Sprintf("writes: function-level checks on %s: it answered %d to the admin's body (from %s)", t.Create.Key(), st, t.From))
		return
	}
	*created = append(*created, mine)
	if _, ok := read(ctx, p, mine, admin); !ok && t.Item[http.MethodGet] != nil {
		return
	}
	theirs, st := create(ctx, p, t, user, t.Body)
	if theirs != nil {
		theirs.by = admin // the admin cleans up
		*created = append(*created, theirs)
		if _, ok := read(ctx, p, theirs, admin); ok || t.Item[http.MethodGet] == nil {
			reportBFLA(p, t.Create, user, admin, fmt.Sprintf("non-admin %s created object %s at %s, which the admin %s reads back", user.Name, theirs.id, t.Create.Key(), admin.Name), st)
		}
	}
	if ep := t.Item[http.MethodDelete]; ep != nil && t.Item[http.MethodGet] != nil {
		creds, err := user.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		o := p.Send(ctx, ep, &httpx.Request{Method: http.MethodDelete, URL: mine.at(p, ep), Header: http.Header{}}, creds, nil)
		if gone(ctx, p, mine) {
			reportBFLA(p, ep, user, admin, fmt.Sprintf("non-admin %s deleted the admin's object %s: %s's read now answers not found", user.Name, mine.id, admin.Name), o.Sample.Status)
		}
	}
}

func reportBFLA(p *probe.Pass, ep *inventory.Endpoint, user, admin *identity.Identity, msg string, status int) {
	f := catalog.New(RuleBFLA)
	f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
	f.Identity = user.Name
	f.Confidence = finding.Confirmed
	f.Message = msg
	f.Evidence = &finding.Evidence{Request: ep.Key(), Status: status,
		Proof:   "the write of a non-admin identity took effect (read back as the admin)",
		Control: fmt.Sprintf("the function is reserved to admins (policy or administrative path); admin %s made the same write", admin.Name)}
	p.Report(f)
}
