package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// massAssignment compares the account registered with privileged fields
// with a plain one: what its login or token says (a privileged field it
// sent, now true), what its answers say, and where it is let in that the
// plain account is refused.
func massAssignment(ctx context.Context, p *probe.Pass, res *Result) {
	plain := res.Plain[0]
	proveAgainst(ctx, p, res, res.Privileged, plain.Name, plain.Identity, plainCreds(ctx, p, plain))
}

// proveAgainst reports priv's registration when priv gets more than the
// base identity (a plain account of the scan's, or a configured member):
// its login answer or token says a privileged field it sent took, an
// answer says so, or it is let in where base is refused (by status or
// by base's calibrated refusal) and an anonymous caller is too.
func proveAgainst(ctx context.Context, p *probe.Pass, res *Result, priv *Account, base string, baseID *identity.Identity, baseCreds identity.Creds) bool {
	pc, err := priv.Identity.Creds(ctx, p.Session())
	if err != nil {
		return false
	}
	if why := reflected(priv.Identity.LoginAnswer(), baseID.LoginAnswer(), priv.sent, pc, baseCreds); why != "" && !chosen(res, priv) {
		reportMass(p, res, priv, nil, why)
		return true
	}
	sent := 0
	for _, ep := range compareOrder(p, base) {
		if ctx.Err() != nil || sent == maxCompare {
			return false
		}
		sent++
		var baseCell *probe.Cell
		for _, c := range p.Matrix(ep) {
			if c.Variant == slots.CellIdentity && c.Identity == base {
				c := c
				baseCell = &c
			}
		}
		if baseCell == nil || baseCell.Outcome == nil || baseCell.Outcome.Sample == nil {
			continue
		}
		ps := baseCell.Outcome.Sample
		o := p.Send(ctx, ep, nil, pc, nil)
		o.Label = priv.Name + " (registered with " + strings.Join(fieldValues(priv), ", ") + ")"
		if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 || oracle.Refusal(o.Sample) {
			continue
		}
		if like := servedLikeOther(p.Matrix(ep), base, ps, p.Anonymous(ep), o.Sample); like != "" {
			reportMass(p, res, priv, o, fmt.Sprintf("%s is served %s as %s is, where %s and an anonymous caller get only a message", priv.Name, ep.Key(), like, base))
			return true
		}
		switch {
		case refused(baseCell.Outcome):
			if a := p.Anonymous(ep); a == nil || a.Status/100 == 2 && !oracle.Refusal(a) {
				continue
			}
			if ps.Status/100 == 2 && string(o.Sample.Body) == string(ps.Body) {
				continue // the same answer as base's refusal
			}
			if strings.Contains(ep.Path, "{") && record(o.Sample.Body, priv) != nil {
				// The path's example names the privileged account itself
				// (its own member record): it reads what it owns.
				continue
			}
			reportMass(p, res, priv, o, fmt.Sprintf("%s is let into %s (status %d) where %s is refused (%d)", priv.Name, ep.Key(), o.Sample.Status, base, ps.Status))
			return true
		case ps.Status/100 == 2:
			if k := gained(o.Sample.Body, ps.Body, priv.sent); k != "" {
				reportMass(p, res, priv, o, fmt.Sprintf("%s's answer from %s says %s, %s's does not", priv.Name, ep.Key(), k, base))
				return true
			}
		}
	}
	return false
}

// maxCompare bounds the requests the privileged account sends.
const maxCompare = 30

// compareOrder lists the GET endpoints to try the privileged account on:
// those that refuse the plain account first (being let in is the proof),
// then the parameterless ones it is served (a flag it gained shows there).
func compareOrder(p *probe.Pass, plain string) []*inventory.Endpoint {
	var denied, served []*inventory.Endpoint
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet {
			continue
		}
		for _, c := range p.Matrix(ep) {
			if c.Variant != slots.CellIdentity || c.Identity != plain || c.Outcome == nil || c.Outcome.Sample == nil {
				continue
			}
			switch st := c.Outcome.Sample.Status; {
			case refused(c.Outcome):
				denied = append(denied, ep)
			case st/100 == 2 && !strings.Contains(ep.Path, "{"):
				served = append(served, ep)
			}
		}
	}
	return append(denied, served...)
}

func plainCreds(ctx context.Context, p *probe.Pass, a *Account) identity.Creds {
	c, _ := a.Identity.Creds(ctx, p.Session())
	return c
}

// reflected says which privileged field the privileged account's login
// answer or token carries as set while the base's does not.
func reflected(privLogin, baseLogin []byte, sent map[string]any, pc, plc identity.Creds) string {
	if k := gained(privLogin, baseLogin, sent); k != "" {
		return fmt.Sprintf("its login answer says %s, the plain account's does not", k)
	}
	for _, v := range pc.Secrets() {
		c := principal.Claims(v)
		if c == nil {
			continue
		}
		b, _ := json.Marshal(c)
		var other []byte
		for _, w := range plc.Secrets() {
			if oc := principal.Claims(w); oc != nil {
				other, _ = json.Marshal(oc)
			}
		}
		if k := gained(b, other, sent); k != "" {
			return fmt.Sprintf("its token claims %s, the plain account's does not", k)
		}
	}
	return ""
}

// gained returns "field=value" for the first privileged field sent whose
// value a's JSON holds as sent (a flag sent true, read back true or 1; the
// role sent, read back) while b's does not: the answer, not a word in it,
// says the field took.
func gained(a, b []byte, sent map[string]any) string {
	av, bv := flags(a), flags(b)
	fields := make([]string, 0, len(sent))
	for f := range sent {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		k := principal.Norm(f)
		if holds(av[k], sent[f]) && !holds(bv[k], sent[f]) {
			return fmt.Sprintf("%s=%v", f, av[k])
		}
	}
	return ""
}

// flags collects, at any depth, the values of fields by normalized name.
func flags(body []byte) map[string]any {
	out := map[string]any{}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return out
	}
	var walk func(any, int)
	walk = func(v any, d int) {
		if d > 8 {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if _, ok := out[principal.Norm(k)]; !ok {
					out[principal.Norm(k)] = x
				}
				walk(x, d+1)
			}
		case []any:
			for _, x := range t {
				walk(x, d+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// holds: an answer's value is the one sent — a flag sent on is read back
// on (true, a non-zero number, "true"), a string is read back equal (or
// as a member of a list), a list is read back with every member, a number
// equal.
func holds(got, sent any) bool {
	switch s := sent.(type) {
	case bool:
		if !s {
			return false
		}
		switch g := got.(type) {
		case bool:
			return g
		case float64:
			return g != 0
		case string:
			return strings.EqualFold(g, "true") || g == "1"
		}
	case string:
		switch g := got.(type) {
		case string:
			return strings.EqualFold(g, s)
		case []any:
			for _, x := range g {
				if holds(x, s) {
					return true
				}
			}
		}
	case float64:
		g, ok := got.(float64)
		return ok && g == s
	case int:
		g, ok := got.(float64)
		return ok && g == float64(s)
	case []any:
		if len(s) == 0 {
			return false
		}
		for _, x := range s {
			if !holds(got, x) {
				return false
			}
		}
		return true
	}
	return false
}

func reportMass(p *probe.Pass, res *Result, priv *Account, o *probe.Outcome, why string) {
	f := catalog.New(ruleMass)
	f.Endpoint = &finding.Endpoint{Method: res.Registrar.Method, Path: res.Registrar.Path}
	f.Identity = priv.Name
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("registration accepts %s: %s", strings.Join(fieldValues(priv), ", "), why)
	f.Fields = append([]string(nil), priv.Fields...)
	sort.Strings(f.Fields)
	pass := &probe.Pass{Env: p.Env}
	if o == nil {
		o = &probe.Outcome{Request: priv.Request, Sample: oracle.NewSample(priv.Status, nil, nil, nil)}
	}
	f.Evidence = pass.Evidence(o, "the account was registered with "+strings.Join(priv.Fields, ", ")+" and logged in", "a plain account registered the same way without those fields")
	p.Report(f)
}
