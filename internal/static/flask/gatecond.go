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
		return triUnknown
	}
	v := p.Eval(ops[1])
	ss, ok := v.Strings()
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
