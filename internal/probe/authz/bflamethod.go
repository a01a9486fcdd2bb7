package authz

import (
	"context"
	"fmt"
	"net/url"
	"sort"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

const ruleBFLAMethod = "authz.bfla-method"

// gap is one path whose method open serves identity who, while method
// closed refuses who and serves by (another identity): the role check sits
// on one method only.
type gap struct {
	open, closed row
	who, by      string
}

// methodGaps finds, per path, a method that refuses an identity which
// another identity gets through (a role check: the credential itself is
// good, since the first identity gets in elsewhere) and another method of
// the same path, gated against anonymous requests, that serves it.
func methodGaps(rows []row) []gap {
	byPath := map[string][]row{}
	var paths []string
	for _, r := range rows {
		if _, ok := byPath[r.ep.Path]; !ok {
			paths = append(paths, r.ep.Path)
		}
		byPath[r.ep.Path] = append(byPath[r.ep.Path], r)
	}
	sort.Strings(paths)
	var out []gap
	for _, path := range paths {
		rs := byPath[path]
		if len(rs) < 2 {
			continue
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].ep.Method < rs[j].ep.Method })
	closed:
		for _, c := range rs {
			if !c.refused() {
				continue
			}
			in := c.in()
			if len(in) == 0 {
				continue
			}
			for _, cell := range c.cells {
				id := cell.Identity
				if cell.Variant != slots.CellIdentity || id == "" || !refusedOutcome(cell.Outcome) {
					continue
				}
				for _, o := range rs {
					if o.ep.Method == c.ep.Method || !o.refused() {
						continue
					}
					oc, ok := o.identity(id)
					if ok && ok2xx(oc.Outcome) && oc.Ref != nil && oc.Ref.Gated {
						out = append(out, gap{open: o, closed: c, who: id, by: in[0].Identity})
						break closed
					}
				}
			}
		}
	}
	return out
}

// runBFLAMethod reports a method of a path served to an identity that
// another method of the same path refuses while serving a more privileged
// identity: BFLA by method (GET role-restricted, POST open to any user).
// Write methods are only in the matrix with --allow-writes.
func runBFLAMethod(ctx context.Context, p *probe.Pass) {
	var rows []row
	logins := loginPaths(p.Identities())
	for _, ep := range p.Endpoints() {
		if logins[ep.Path] {
			// The configured login is no one's privileged function: its
			// GET is a sign-in page (a refusal to everyone), its POST a
			// failed login answered in the same page.
			continue
		}
		rows = append(rows, rowOf(p, ep))
	}
	for _, g := range methodGaps(rows) {
		if ctx.Err() != nil {
			return
		}
		cell, _ := g.open.identity(g.who)
		again := p.Send(ctx, g.open.ep, nil, cell.Creds, cell.Ref)
		again.Label = g.who + " (reproduced)"
		if !ok2xx(again) {
			p.Note(fmt.Sprintf("%s: %s served once, not on reproduction (%s)", g.open.ep.Key(), g.who, status(again)))
			continue
		}
		ctl := sendAnon(ctx, p, g.open.ep, cell.Ref)
		if !refusedOutcome(ctl) {
			continue
		}
		refused, _ := g.closed.identity(g.who)
		report(p, ruleBFLAMethod, g.open.ep, g.who, finding.Confirmed, again,
			fmt.Sprintf("%s serves identity %s (status %d), while %s refuses it (status %d) and serves %s: the role check covers one method of %s only",
				g.open.ep.Key(), g.who, again.Sample.Status, g.closed.ep.Key(), refused.Outcome.Sample.Status, g.by, g.open.ep.Path),
			fmt.Sprintf("%s answered %d twice", g.who, again.Sample.Status),
			fmt.Sprintf("an anonymous request was refused (status %d)", ctl.Sample.Status))
	}
	runBFLAWrites(ctx, p, rows)
}

// loginPaths are the paths of the configured identities' logins.
func loginPaths(ids []*identity.Identity) map[string]bool {
	out := map[string]bool{}
	for _, id := range ids {
		if id.Login == nil || id.Login.URL == "" {
			continue
		}
		if u, err := url.Parse(id.Login.URL); err == nil && u.Path != "" {
			out[u.Path] = true
		}
	}
	return out
}
