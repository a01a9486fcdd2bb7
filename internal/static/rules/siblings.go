package rules

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// runMissingRole reports a route whose authentication is weaker than its
// siblings': on one app or blueprint, at least four other authenticated
// routes and four in five of them carry a check (a role or permission
// decorator) this route lacks while it has another one (only
// @login_required). The evidence is observed, not named: the siblings'
// decorators, listed in the flow.
func runMissingRole(ps *Pass) {
	groups := map[*flask.Object][]*flask.Route{}
	for _, r := range ps.Project.Routes {
		if r.Object != nil {
			groups[r.Object] = append(groups[r.Object], r)
		}
	}
	for _, routes := range groups {
		for _, r := range routes {
			mine := decoratorChecks(r)
			// Only a route that changes state, not scoped to the signed-in
			// user, needs the role its siblings check: a user's own sync or
			// a dialog's texts are self-service.
			if len(mine) == 0 || privilegedEffect(r) == nil {
				continue
			}
			self := ps.selfScoped(r)
			count, authed := map[string]int{}, 0
			where := map[string][]flask.Auth{}
			for _, s := range routes {
				if s == r || s.Def == r.Def {
					continue
				}
				checks := decoratorChecks(s)
				if len(checks) == 0 {
					continue
				}
				authed++
				// Only a sibling that has every check this route has, and
				// more, shows a missing one: a different check is not a
				// weaker one.
				superset := true
				for name := range mine {
					if _, ok := checks[name]; !ok {
						superset = false
					}
				}
				if !superset {
					continue
				}
				for name, a := range checks {
					count[name]++
					where[name] = append(where[name], a)
				}
			}
			if authed < 4 {
				continue
			}
			var missing []string
			for name, n := range count {
				if _, has := mine[name]; !has && n*5 >= authed*4 {
					missing = append(missing, name)
				}
			}
			if len(missing) == 0 {
				continue
			}
			sort.Strings(missing)
			d := missing[0]
			var have []string
			for name := range mine {
				have = append(have, "@"+name)
			}
			sort.Strings(have)
			flow := []finding.Step{{Location: finding.Location{File: r.File, Line: r.Line}, Role: "entry",
				Note: "route " + strings.Join(r.Methods, ",") + " " + r.Rule + " has only " + strings.Join(have, ", ")}}
			for i, a := range where[d] {
				if i == 3 {
					break
				}
				flow = append(flow, finding.Step{Location: finding.Location{File: a.File, Line: a.Line}, Role: "step",
					Note: "a sibling route checks @" + d})
			}
			flow = append(flow, finding.Step{Location: finding.Location{File: r.File, Line: r.Line}, Role: "sink",
				Note: itoa(count[d]) + " of " + itoa(authed) + " authenticated sibling routes check @" + d + "; this one does not"})
			for _, ep := range endpoints(r) {
				before := len(ps.Findings)
				ps.ReportFlow("py.route-missing-role", routeNode(r), finding.Tentative,
					ep.String()+": its siblings also check @"+d+", this route only "+strings.Join(have, ", "), flow, ep)
				if self != nil {
					ps.refuteSelfScoped(before, r, self)
				}
			}
		}
	}
}

// decoratorChecks are a route's authentication decorators by callee name
// (arguments left out: @permission(...) is one check).
func decoratorChecks(r *flask.Route) map[string]flask.Auth {
	out := map[string]flask.Auth{}
	for _, a := range r.Auth {
		if a.Via != "decorator" || a.Node == nil {
			continue
		}
		n := a.Node
		if n.Kind == "call" {
			n = n.ChildByField("function")
		}
		out[n.Text()] = a
	}
	return out
}

// privilegedEffect is the first state-changing call of the route's handler
// whose arguments do not name the signed-in user (current_user, g.user);
// a route that works only on the caller's own record is judged by
// selfScoped.
func privilegedEffect(r *flask.Route) *python.Node {
	if r.Def == nil {
		return nil
	}
	var out *python.Node
	r.Def.ChildByField("body").Walk(func(x *python.Node) bool {
		if out != nil || x.Kind == "function_definition" && x != r.Def {
			return false
		}
		if x.Kind != "call" {
			return true
		}
		fn := x.ChildByField("function")
		name := fn.Text()
		if fn.Kind == "attribute" {
			name = fn.ChildByField("attribute").Text()
		}
		if stateChanges[name] && !strings.HasPrefix(fn.Text(), "request") {
			args := x.ChildByField("arguments").Text()
			if !strings.Contains(args, "current_user") && !strings.Contains(args, "g.user") {
				out = x
			}
		}
		return true
	})
	return out
}
