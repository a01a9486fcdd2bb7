package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// classAuth judges a handler class (one a project wrapper makes into a
// view) by its own code: the methods of its class chain, overrides first,
// whose bodies read the caller's credentials or identity and reject the
// request (RHAdminBase._check_access raising Forbidden when the user is
// not an admin). Which of them runs for a request, and whether it is an
// authentication or another check (a CSRF token), the class's dispatch
// decides: the route is "custom" (policy unknown), naming the methods,
// never taken as proven authenticated.
func (p *Project) classAuth(m *Module, cls *python.Node) (Auth, bool) {
	seen := map[string]bool{}
	var names []string
	var first *python.Node
	var firstMod *Module
	var lines []Loc
	for _, c := range p.classChain(m, cls) {
		for _, st := range c.cls.ChildByField("body").NamedChildren() {
			def := st
			if st.Kind == "decorated_definition" {
				def = st.ChildByField("definition")
			}
			if def.Kind != "function_definition" {
				continue
			}
			name := def.ChildByField("name").Text()
			if seen[name] {
				continue
			}
			seen[name] = true
			if fi := p.analyzeFunc(def, 0); len(fi.kinds) > 0 && fi.rejects && fi.reads {
				if first == nil {
					first, firstMod, lines = def, c.mod, fi.lines
				}
				if len(names) < 4 {
					names = append(names, c.cls.ChildByField("name").Text()+"."+name)
				}
			}
		}
	}
	if first == nil {
		return Auth{}, false
	}
	return Auth{Kind: "custom", Name: strings.Join(names, ", "), Via: "inline",
		File: firstMod.File.Path, Line: first.Line, Lines: lines, Node: first}, true
}
