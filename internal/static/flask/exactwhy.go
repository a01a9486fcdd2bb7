package flask

// Why the static model lost a route the framework serves, and which static
// routes an extension stubbed at import keeps.

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// lostBecause says why the static model did not place a served rule: the
// reason of the registration at the view, or that none was followed.
func (p *Project) lostBecause(er ExactRule, decls []*Decl) string {
	if er.File == "" {
		why := "the view is defined outside the analysed directory (a library's route)"
		ep := er.Endpoint[strings.LastIndexByte(er.Endpoint, '.')+1:]
		for node, d := range p.declOf {
			if !d.Resolved && strings.Contains(node.Text(), ep) {
				return fmt.Sprintf("%s, registered at %s:%d: %s", why, d.File, d.Line, d.Reason)
			}
		}
		return why
	}
	if p.byPath(er.File) == nil {
		return "the view's file " + er.File + " was not analysed (left out or unparsed)"
	}
	def, cls := p.defAt(er.File, er.Line)
	n := def
	if n == nil {
		n = cls
	}
	if n != nil {
		start, end := n.Line, n.Line
		if n.Parent != nil && n.Parent.Kind == "decorated_definition" {
			start = n.Parent.Line
		}
		for _, d := range decls {
			if d.File == er.File && d.Line >= start && d.Line <= end && !d.Resolved {
				return d.Reason
			}
		}
		for _, d := range decls {
			if d.File == er.File && d.Line >= start && d.Line <= end && d.Resolved {
				return "the static model placed this view under another rule or method"
			}
		}
	}
	// The registration is elsewhere (add_url_rule far from the view):
	// an unresolved one that names the view, else the only unresolved
	// one in the view's file.
	name := ""
	if n != nil {
		name = n.ChildByField("name").Text()
	}
	var named, sameFile []*python.Node
	for node, d := range p.declOf {
		if d.Resolved {
			continue
		}
		if name != "" && strings.Contains(node.Text(), name) {
			named = append(named, node)
		}
		if node.File != nil && node.File.Path == er.File {
			sameFile = append(sameFile, node)
		}
	}
	for _, cands := range [][]*python.Node{named, sameFile} {
		if len(cands) == 1 {
			d := p.declOf[cands[0]]
			return fmt.Sprintf("registered at %s:%d, which the static model did not resolve: %s", d.File, d.Line, d.Reason)
		}
	}
	return "registered in a way the static model does not follow (no route-like registration of this view was seen)"
}

// stubbedRoute says whether a static route belongs to an extension the
// app was imported with a stand-in for: declared on an Api, namespace or
// framework site (never on Flask's own app or Blueprint), or on an object
// whose constructor comes from a stubbed module.
func (p *Project) stubbedRoute(r *Route, stubbed []string) bool {
	if len(stubbed) == 0 || r.Object == nil {
		return false
	}
	switch r.Object.Kind {
	case "api", "restx", "namespace", "site":
		return true
	}
	if r.Object.Node == nil || r.Object.Module == nil {
		return false
	}
	q := r.Object.Module.Qualify(r.Object.Node.ChildByField("function").DottedName())
	for _, s := range stubbed {
		if q == s || strings.HasPrefix(q, s+".") {
			return true
		}
	}
	return false
}
