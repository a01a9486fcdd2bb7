package actions

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// publicWrites are last path segments of writes anyone may call.
var publicWrites = []string{"login", "logout", "signin", "signup", "register", "token", "refresh", "reset",
	"forgot", "password", "contact", "feedback", "webhook", "subscribe", "newsletter", "graphql",
	"health", "healthz", "status", "ping", "version", "docs", "openapi.json", "swagger.json", "favicon.ico"}

// anonymous reports the write endpoints served without any credential
// where authentication is expected: the spec requires it, or every other
// write endpoint refuses anonymous requests while serving an identity.
func anonymous(ctx context.Context, p *probe.Pass, ws []*write, ids []principal) {
	refused := refusalOf(p)
	var guarded []*write
	open := 0
	for _, w := range ws {
		switch {
		case refused(w.anon.Sample):
			guarded = append(guarded, w)
		case oracle.Served(w.anon.Sample) && !publicName(w.ep.Path):
			open++
		}
	}
	gatedReads, openReads := reads(p)
	var rest []*write // not judged by a refusing sibling: openWrites tries them
	for _, w := range ws {
		if ctx.Err() != nil {
			return
		}
		if p.Proven(RuleAnonymousWrite, w.ep) || p.Proven(RuleMissing, w.ep) {
			// One weakness, one finding: the write phase proved this
			// anonymous write on the scan's own object already.
			continue
		}
		// Not judged by a refusing sibling: openWrites proves it by its
		// effect (a REST collection's create too: the write phase proves
		// anonymous updates and deletes of its own objects, not creates).
		later := func() { rest = append(rest, w) }
		if !oracle.Served(w.anon.Sample) || publicName(w.ep.Path) || len(w.anon.Sample.Body) == 0 {
			later()
			continue
		}
		why := ""
		switch {
		case declared(w.ep) != "":
			why = "the spec requires " + declared(w.ep)
		case open == 1 && openReads == 0 && len(guarded) >= 1 && len(guarded)+gatedReads >= 3:
			why = fmt.Sprintf("every other endpoint of the API refuses requests without credentials (%d writes, %d reads; public ones aside)", len(guarded), gatedReads)
		}
		if why == "" || len(guarded) == 0 {
			later()
			continue
		}
		ctl := guarded[0]
		again := send(ctx, p, ctl.ep, ctl.anon.Request.URL, ctl.anonBody, identity.Creds{}, "no credential (control)")
		if !refused(again.Sample) {
			p.Note(fmt.Sprintf("actions: %s served without credentials, but the control %s was not refused (%s)", w.ep.Key(), ctl.ep.Key(), status(again)))
			later()
			continue
		}
		f := catalog.New(RuleMissing)
		f.Endpoint = &finding.Endpoint{Method: w.ep.Method, Path: w.ep.Path}
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("a %s without any credential was served (%d, %d bytes) although %s", w.ep.Method, w.anon.Sample.Status, len(w.anon.Sample.Body), why)
		pass := &probe.Pass{Env: p.Env}
		f.Evidence = pass.Evidence(w.anon, "the write was served without credentials ("+status(w.anon)+", no refusal in its body)",
			fmt.Sprintf("the same anonymous request to %s was refused (%s)", ctl.ep.Key(), status(again)))
		p.Report(f)
	}
	openWrites(ctx, p, ws, append(rest, itemUpdates(p, ws)...), ids, refused)
}

// itemUpdates are the PUT and PATCH items of the REST collections whose
// create the actions probed: the write phase proves anonymous updates on
// its own objects only where it can mark a body field, so a new value in
// the URL (PATCH /update-price/{cafe_id}?new_price=) is the effect proof's.
// Nothing was sent to them here: only an effect reports them.
func itemUpdates(p *probe.Pass, ws []*write) []*write {
	var out []*write
	for _, w := range ws {
		if w.create == nil {
			continue
		}
		for _, m := range []string{http.MethodPut, http.MethodPatch} {
			ep := w.create.Item[m]
			if ep == nil || p.Proven(RuleAnonymousWrite, ep) || p.Proven(RuleMissing, ep) {
				continue
			}
			out = append(out, &write{ep: ep, body: bodyOf(p, ep), as: map[string]*probe.Outcome{}})
		}
	}
	return out
}

// reads counts the read endpoints that refuse requests without
// credentials while letting an identity in, and those that serve them
// data anonymously (public names aside).
func reads(p *probe.Pass) (gated, open int) {
	for _, ep := range p.Endpoints() {
		cells := p.Matrix(ep)
		if len(cells) == 0 || publicName(ep.Path) {
			continue
		}
		switch cells[0].Verdict() {
		case oracle.Rejected:
			for _, c := range cells[1:] {
				if c.Identity != "" && c.Verdict() == oracle.Accepted {
					gated++
					break
				}
			}
		case oracle.Accepted:
			if o := cells[0].Outcome; o != nil && oracle.Served(o.Sample) && len(o.Sample.Body) > 2 {
				open++
			}
		}
	}
	return gated, open
}

func publicName(path string) bool {
	segs := strings.Split(strings.ToLower(strings.Trim(path, "/")), "/")
	for _, s := range segs {
		if strings.HasPrefix(s, "{") {
			continue
		}
		for _, w := range publicWrites {
			if s == w || strings.HasPrefix(s, w+"_") || strings.HasSuffix(s, "_"+w) || strings.HasPrefix(s, w+"-") {
				return true
			}
		}
	}
	return false
}

// declared names the security requirement the spec declares for ep, ""
// when none or public.
func declared(ep *inventory.Endpoint) string {
	if !ep.Declared() || ep.Public() {
		return ""
	}
	var alts []string
	for _, set := range ep.Security {
		alts = append(alts, strings.Join(set, " and "))
	}
	return strings.Join(alts, " or ")
}

// refusalOf is the refusal test for requests without credentials: the
// oracle's own, or the very answer a gated read gave one (a consistent
// 404 or 500 is how some APIs say no).
func refusalOf(p *probe.Pass) func(*oracle.Sample) bool {
	var known []*oracle.Sample
	for _, ep := range p.Endpoints() {
		cells := p.Matrix(ep)
		if len(cells) > 0 && cells[0].Verdict() == oracle.Rejected && cells[0].Outcome != nil {
			known = append(known, cells[0].Outcome.Sample)
		}
	}
	return func(s *oracle.Sample) bool {
		if oracle.Refusal(s) {
			return true
		}
		for _, k := range known {
			if oracle.SameRefusal(s, k) {
				return true
			}
		}
		return false
	}
}
