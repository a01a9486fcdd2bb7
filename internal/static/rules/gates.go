package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

func runGates(ps *Pass) {
	p := ps.Project
	for _, h := range p.Hooks {
		hookLoc := flask.Loc{File: h.Module.File.Path, Line: h.Def.Line}
		for _, gl := range h.Lists {
			if !gl.Protect {
				continue
			}
			for _, v := range gl.Values {
				if v.Kind != flask.Str || v.Node == nil || matchesRoute(p, gl.Field, v.S) {
					continue
				}
				msg := gl.Field + " \"" + v.S + "\" in the gate's protected list matches no route"
				var ep *finding.Endpoint
				if r := nearRoute(p, gl.Field, v.S); r != nil {
					msg += "; the route " + r.Endpoint + " (" + r.Path + ") it probably means stays open"
					ep = &finding.Endpoint{Method: r.Methods[0], Path: r.Path}
				}
				ps.Report("py.gate-stale-endpoint", v.Node, finding.Firm, msg, ep, hookLoc)
			}
		}
	}
	failOpen(ps)
}

func matchesRoute(p *flask.Project, field, s string) bool {
	for _, r := range p.Routes {
		if field == "endpoint" && r.Endpoint == s || field == "path" && (r.Rule == s || r.Path == s) {
			return true
		}
	}
	return false
}

// nearRoute finds the route a stale name was meant for: same last endpoint
// segment, or a handler of that name.
func nearRoute(p *flask.Project, field, s string) *flask.Route {
	var best *flask.Route
	bestScore := 0
	for _, r := range p.Routes {
		if field == "endpoint" && !matchesRoute(p, "endpoint", r.Endpoint) {
			continue
		}
		if sc := overlap(s, r.Rule+"/"+r.Endpoint); sc > bestScore && !protectedByName(p, r) {
			best, bestScore = r, sc
		}
	}
	if best != nil && bestScore >= 2 {
		return best
	}
	for _, r := range p.Routes {
		last := r.Endpoint[strings.LastIndex(r.Endpoint, ".")+1:]
		if field == "endpoint" && (last == s || r.Handler == s || strings.Contains(last, s) || strings.Contains(s, last)) {
			return r
		}
		if field == "path" && (strings.TrimRight(r.Rule, "/") == strings.TrimRight(s, "/") || strings.HasSuffix(r.Rule, s)) {
			return r
		}
	}
	return nil
}

// failOpen reports a JWT decode in a hook or decorator wrapper whose except
// clause lets the request continue to the view.
func failOpen(ps *Pass) {
	for _, c := range ps.Calls {
		if !flask.IsJWTDecode(c.Q) {
			continue
		}
		fn := c.Node.Ancestor("function_definition")
		if fn == nil || !isGateFunc(ps.Project, fn) || appState(tokenArg(c.Node)) {
			continue
		}
		for t := c.Node.Ancestor("try_statement"); t != nil; t = t.Ancestor("try_statement") {
			if !t.ChildByField("body").Contains(c.Node) {
				continue
			}
			for _, ex := range t.NamedChildren() {
				if ex.Kind == "except_clause" && !flask.ExceptExits(ex) {
					before := len(ps.Findings)
					ps.Report("py.auth-fail-open", ex, finding.Firm, "when the token does not decode, the except clause lets the request continue", nil,
						flask.Loc{File: c.Node.File.Path, Line: c.Node.Line})
					if r := ps.fallThroughRefuses(t, fn); r != nil {
						ps.refute(before, step(r, "", "the request goes on only to another check of its own, and otherwise is refused at "+
							r.File.Path+":"+itoa(r.Line)))
					}
				}
			}
			break
		}
	}
}

// isGateFunc: a before_request hook, or a decorator's wrapper (a nested
// function that calls a parameter of its enclosing function).
func isGateFunc(p *flask.Project, fn *python.Node) bool {
	for _, h := range p.Hooks {
		if h.Def == fn {
			return true
		}
	}
	outer := fn.Ancestor("function_definition")
	if outer == nil {
		return false
	}
	params := map[string]bool{}
	for _, prm := range outer.ChildByField("parameters").NamedChildren() {
		if prm.Kind == "identifier" {
			params[prm.Text()] = true
		}
	}
	calls := false
	fn.Walk(func(x *python.Node) bool {
		if x.Kind == "call" && params[x.ChildByField("function").Text()] {
			calls = true
		}
		return !calls
	})
	return calls
}

// overlap counts the words of a stale name found in a route's rule or
// endpoint ("partner_invoices" and "/api/partner/invoices": 2).
func overlap(name, target string) int {
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return r == '/' || r == '.' || r == '_' || r == '-' || r == '<' || r == '>' || r == ':'
		})
	}
	have := map[string]bool{}
	for _, w := range split(target) {
		have[w] = true
	}
	n := 0
	for _, w := range split(name) {
		if have[w] {
			n++
		}
	}
	return n
}

// protectedByName: the route already has authentication, so it is not the
// one a stale name left open.
func protectedByName(p *flask.Project, r *flask.Route) bool { return len(r.Auth) > 0 }

// appState: the expression reads the application's own state
// (current_app.api_token, current_app.config["TOKEN"]): one value for
// every request, such as the app's outgoing client token, never the
// request's credential.
func appState(n *python.Node) bool {
	n = n.Unparen()
	for n != nil && n.Kind == "subscript" {
		n = n.ChildByField("value").Unparen()
	}
	if n == nil || n.Kind != "attribute" {
		return false
	}
	d := strings.TrimPrefix(n.DottedName(), "flask.")
	return strings.HasPrefix(d, "current_app.")
}
