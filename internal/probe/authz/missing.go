package authz

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

func segments(path string) []string {
	return strings.FieldsFunc(strings.ToLower(path), func(r rune) bool { return r == '/' })
}

// adminLike: the path has an admin word (inventory.AdminWords).
func adminLike(path string) bool { return inventory.AdminPath(path) }

func conventionallyPublic(path string) bool {
	ss := segments(path)
	if len(ss) == 0 {
		return true
	}
	last := ss[len(ss)-1]
	return inventory.PublicName(last) || strings.HasPrefix(last, ".well-known") || strings.HasPrefix(ss[0], ".well-known")
}

// parent is the path without its last segment; "" at the root.
func parent(path string) string {
	i := strings.LastIndex(strings.TrimRight(path, "/"), "/")
	if i <= 0 {
		return ""
	}
	return path[:i]
}

// servesData: a non-empty JSON document with content, or a text body of
// some size.
func servesData(s *oracle.Sample) bool {
	if s == nil || len(s.Body) == 0 {
		return false
	}
	var v any
	if json.Unmarshal(s.Body, &v) != nil {
		return len(strings.TrimSpace(string(s.Body))) >= 32
	}
	switch t := v.(type) {
	case map[string]any:
		return len(t) > 0
	case []any:
		return len(t) > 0
	}
	return false
}

// declaredSecurity names the requirement a spec declares for ep, "" when
// it declares none or public.
func declaredSecurity(ep *inventory.Endpoint) string {
	if !ep.Declared() || ep.Public() {
		return ""
	}
	var alts []string
	for _, set := range ep.Security {
		alts = append(alts, strings.Join(set, " and "))
	}
	return strings.Join(alts, " or ")
}

// whyProtected says why ep is expected to need authentication, and the
// gated endpoint to use as the control ("" reason: no evidence).
func whyProtected(ep *inventory.Endpoint, rows []row) (string, *inventory.Endpoint) {
	var control *inventory.Endpoint
	gatedSiblings, openSiblings := 0, 0
	for _, r := range rows {
		if r.ep == ep || r.ep.Path == ep.Path {
			continue
		}
		gated := r.refused() && len(r.in()) > 0
		if gated && (control == nil || parent(r.ep.Path) == parent(ep.Path)) {
			control = r.ep
		}
		// Siblings share the parent path; the parent itself (the
		// collection /api/items of /api/items/report) counts too.
		sibling := parent(r.ep.Path) == parent(ep.Path) || r.ep.Path == parent(ep.Path)
		if parent(ep.Path) == "" || !sibling || conventionallyPublic(r.ep.Path) {
			continue
		}
		switch {
		case gated:
			gatedSiblings++
		case r.anon().Verdict() != oracle.Rejected:
			openSiblings++
		}
	}
	// Health, docs and sign-in routes that inherit a spec's global
	// security are public on purpose far more often than by mistake.
	if control == nil || conventionallyPublic(ep.Path) {
		return "", nil
	}
	if sec := declaredSecurity(ep); sec != "" {
		return "the spec requires " + sec, control
	}
	if ep.Declared() {
		return "", nil
	}
	if adminLike(ep.Path) {
		return "it is an administrative path", control
	}
	if gatedSiblings >= 2 && openSiblings == 0 {
		return fmt.Sprintf("its %d sibling routes under %s all refuse anonymous requests", gatedSiblings, parent(ep.Path)), control
	}
	return "", nil
}

func runMissing(ctx context.Context, p *probe.Pass) {
	var rows []row
	for _, ep := range p.Endpoints() {
		rows = append(rows, rowOf(p, ep))
	}
	for _, r := range rows {
		if ctx.Err() != nil {
			return
		}
		a := r.anon()
		if a.Verdict() != oracle.Accepted || !oracle.Served(a.Outcome.Sample) || !servesData(a.Outcome.Sample) {
			continue
		}
		why, ctlEP := whyProtected(r.ep, rows)
		if why == "" {
			continue
		}
		again := sendAnon(ctx, p, r.ep, nil)
		if again.Sample.Unusable() != "" || !oracle.Served(again.Sample) ||
			oracle.Similarity(again.Sample.Shape(), a.Outcome.Sample.Shape()) < 0.6 {
			p.Note(fmt.Sprintf("%s: served anonymously once, not the same on reproduction (%s)", r.ep.Key(), status(again)))
			continue
		}
		ctl := sendAnon(ctx, p, ctlEP, gatedRef(p, ctlEP))
		if !refusedOutcome(ctl) {
			p.Note(fmt.Sprintf("%s: served anonymously, but the control %s was not refused (%s)", r.ep.Key(), ctlEP.Key(), status(ctl)))
			continue
		}
		report(p, ruleMissing, r.ep, "", finding.Confirmed, again,
			fmt.Sprintf("a request without any credential was served (%d, %d bytes) although %s", again.Sample.Status, len(again.Sample.Body), why),
			"served twice without credentials, with the same content",
			fmt.Sprintf("the same anonymous request to %s was refused (status %d)", ctlEP.Key(), ctl.Sample.Status))
	}
}
