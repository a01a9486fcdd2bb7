package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// dispatchedAuth judges a route served by a project dispatch_request that
// calls a method chosen by name at run time (getattr(self, name)): which
// method runs, and so which decorators guard the request, the dispatch
// decides. When methods of the class chain carry authentication
// decorators the route is "custom" (policy unknown), naming some of them;
// it is never taken as public, nor as proven authenticated.
func (p *Project) dispatchedAuth(r *Route) (Auth, bool) {
	if r.Class == nil || r.Def == nil || r.Def.Kind != "function_definition" || r.Def.ChildByField("name").Text() != "dispatch_request" || !dynamicGetattr(r.Def) {
		return Auth{}, false
	}
	m := p.ModuleOf(r.Class)
	var names []string
	var first *python.Node
	for _, c := range p.classChain(m, r.Class) {
		for _, st := range c.cls.ChildByField("body").NamedChildren() {
			if st.Kind != "decorated_definition" {
				continue
			}
			def := st.ChildByField("definition")
			if def == nil || def.Kind != "function_definition" {
				continue
			}
			for _, d := range Decorators(def) {
				if a, ok := p.classifyDecorator(c.mod, d, Binding{}); ok && a.Kind != "" {
					if first == nil {
						first = def
					}
					if len(names) < 3 {
						names = append(names, c.cls.ChildByField("name").Text()+"."+def.ChildByField("name").Text()+" @"+a.Name)
					}
					break
				}
			}
		}
	}
	if first == nil {
		return Auth{}, false
	}
	return Auth{Kind: "custom", Name: "dispatched by name to methods with their own checks (" + strings.Join(names, ", ") + ")",
		Via: "inline", File: p.ModuleOf(first).File.Path, Line: first.Line, Node: first}, true
}

// dynamicGetattr reports whether fn calls getattr(self, X) with X not a
// string literal.
func dynamicGetattr(fn *python.Node) bool {
	found := false
	fn.ChildByField("body").Walk(func(c *python.Node) bool {
		if found {
			return false
		}
		if c.Kind == "call" && c.ChildByField("function").Text() == "getattr" {
			args := c.ChildByField("arguments").NamedChildren()
			if len(args) >= 2 && args[0].Text() == "self" {
				if _, lit := args[1].StringValue(); !lit {
					found = true
				}
			}
		}
		return true
	})
	return found
}
