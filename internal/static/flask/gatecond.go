package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) evalComparison(c *python.Node, r *Route) tri {
	ops := c.NamedChildren()
	if len(ops) != 2 {
		return triUnknown
	}
	field := requestField(ops[0])
	if field == "" {
		return p.substringCond(c, ops, r)
	}
	v := p.Eval(ops[1])
	ss, ok := v.Strings()
	if !ok {
		ss, ok = p.frameworkConst(ops[1])
	}
	if !ok {
		return triUnknown
	}
	match := triFalse
	for _, s := range ss {
		switch field {
		case "endpoint":
			if s == r.Endpoint {
				match = triTrue
			}
		case "blueprint":
			if r.Object != nil && strings.HasPrefix(r.Endpoint, s+".") {
				match = triTrue
			}
		case "path":
			if m := matchRule(r.Rule, s); m == triTrue || m == triUnknown && match == triFalse {
				match = m
			}
		case "method":
			if contains(r.Methods, strings.ToUpper(s)) {
				if len(r.Methods) == 1 {
					match = triTrue
				} else if match == triFalse {
					match = triUnknown
				}
			}
		}
	}
	positive := c.HasChildKind("in") || c.HasChildKind("==")
	if c.HasChildKind("not in") || c.HasChildKind("!=") {
		positive = false
	}
	if positive || match == triUnknown {
		return match
	}
	if match == triTrue {
		return triFalse
	}
	return triTrue
}

// matchRule compares a concrete path with a Flask rule.
func matchRule(rule, path string) tri {
	if !strings.Contains(rule, "<") {
		return triOf(rule == path)
	}
	rs, ps := strings.Split(rule, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return triFalse
	}
	for i := range rs {
		if strings.HasPrefix(rs[i], "<") {
			continue
		}
		if rs[i] != ps[i] {
			return triFalse
		}
	}
	return triTrue
}

func staticPrefix(rule string) string {
	if i := strings.IndexByte(rule, '<'); i >= 0 {
		return rule[:i]
	}
	return rule
}

// substringCond evaluates "'login' in request.endpoint": a constant looked
// for inside the route's endpoint or rule.
func (p *Project) substringCond(c *python.Node, ops []*python.Node, r *Route) tri {
	field := requestField(ops[1])
	if field != "endpoint" && field != "path" || !c.HasChildKind("in") && !c.HasChildKind("not in") {
		return triUnknown
	}
	v := p.Eval(ops[0])
	if v.Kind != Str {
		return triUnknown
	}
	subject := r.Endpoint
	if field == "path" {
		if strings.Contains(r.Rule, "<") {
			return triUnknown // a variable part may hold it
		}
		subject = r.Rule
	}
	res := triOf(strings.Contains(subject, v.S))
	if c.HasChildKind("not in") {
		res = triOf(res == triFalse)
	}
	return res
}

// frameworkConstants are values libraries define that gates compare with
// (Flask-Login exempts these methods from login_required).
var frameworkConstants = map[string][]string{
	"flask_login.config.EXEMPT_METHODS": {"OPTIONS"},
}

func (p *Project) frameworkConst(n *python.Node) ([]string, bool) {
	m := p.ModuleOf(n)
	if m == nil {
		return nil, false
	}
	v, ok := frameworkConstants[m.Qualify(n.DottedName())]
	return v, ok
}

// settingCond: the condition reads only settings (app.config, the
// environment, constants), so it is the same for every route and exempts
// none in particular (elif app.config.get("LOGIN_DISABLED")). Anything
// that may depend on the request — request, g, session, current_user, or
// a call other than a settings read — is not one.
func settingCond(c *python.Node) bool {
	ok := true
	c.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "identifier":
			switch n.Text() {
			case "request", "g", "session", "current_user":
				ok = false
			}
		case "call":
			d := strings.ToLower(n.ChildByField("function").DottedName())
			if !(d == "os.getenv" || strings.HasSuffix(d, ".get") &&
				(strings.Contains(d, "config") || strings.Contains(d, "environ") || strings.Contains(d, "settings"))) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// mayExempt: a condition on the route that the model cannot evaluate
// holds a collection of names or paths (an allow-list, whatever the code
// does with it: filter(lambda x: x not in request.path, WHITELIST)) one
// of whose entries names route r: part of its rule or its endpoint.
func (p *Project) mayExempt(cond *python.Node, r *Route) bool {
	for _, e := range p.allowEntries(cond) {
		if strings.Contains(r.Rule, e) || r.Endpoint != "" && strings.Contains(r.Endpoint, e) {
			return true
		}
	}
	return false
}

// allowEntries are the strings of the collections a route condition
// holds (worked out once: every route re-examines the condition).
func (p *Project) allowEntries(cond *python.Node) []string {
	if es, ok := p.allowMemo[cond]; ok {
		return es
	}
	var out []string
	if cond != nil && mentionsRequestField(cond) {
		cond.Walk(func(n *python.Node) bool {
			if n.Kind != "identifier" && n.Kind != "attribute" && n.Kind != "list" && n.Kind != "tuple" && n.Kind != "set" {
				return true
			}
			v := p.Eval(n)
			if v.Kind != List && n.Kind == "identifier" {
				if fn := n.Ancestor("function_definition"); fn != nil {
					if rhs := LocalAssign(fn, n.Text(), n.Start); rhs != nil {
						v = p.Eval(rhs)
					}
				}
			}
			if v.Kind != List {
				return true
			}
			for _, it := range v.Items {
				if it.Kind == Str && len(strings.Trim(it.S, "/")) >= 3 {
					out = append(out, it.S)
				}
			}
			return false
		})
	}
	if p.allowMemo == nil {
		p.allowMemo = map[*python.Node][]string{}
	}
	p.allowMemo[cond] = out
	return out
}
