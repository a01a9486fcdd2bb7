package flask

import (
	"sort"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Decl is one route-like declaration seen in the source (a route
// decorator, add_url_rule, add_resource, @expose, a connexion operation)
// and whether it became routes.
type Decl struct {
	File string
	Line int
	// Resolved is true when the declaration produced at least one route.
	Resolved bool
	// Reason says why it did not, when it did not.
	Reason string
	// Assumed says what the analysis took for granted to resolve it (a
	// blueprint no call names, registered by a loader's dynamic call).
	Assumed string
	// NotFlask says why the registration is another framework's route
	// (otherframeworks.go): it is not counted among Flask's, and is
	// listed with Decls' others.
	NotFlask string
}

// declare records a route-like declaration at node n; later calls of
// addRoute while it is current mark it resolved.
func (p *Project) declare(n *python.Node) *Decl {
	if d, ok := p.declOf[n]; ok {
		p.curDecl = d
		return d
	}
	d := &Decl{File: n.File.Path, Line: n.Line}
	p.declOf[n] = d
	p.curDecl = d
	return d
}

// declareRow records the registration one row of a table makes through
// one call (a row two calls register is two registrations), at the row.
func (p *Project) declareRow(call, row *python.Node) *Decl {
	key := [2]*python.Node{call, row}
	if d, ok := p.rowDecls[key]; ok {
		p.curDecl = d
		return d
	}
	if p.rowDecls == nil {
		p.rowDecls = map[[2]*python.Node]*Decl{}
	}
	d := p.declareAt(row.File.Path, row.Line)
	p.rowDecls[key] = d
	return d
}

// declareAt records a declaration that is not a Python node (an operation
// of an OpenAPI file).
func (p *Project) declareAt(file string, line int) *Decl {
	d := &Decl{File: file, Line: line}
	p.extraDecls = append(p.extraDecls, d)
	p.curDecl = d
	return d
}

// unresolved sets why the current declaration made no route; the first
// reason wins.
func (p *Project) unresolved(reason string) {
	if d := p.curDecl; d != nil && !d.Resolved && d.Reason == "" {
		d.Reason = reason
	}
}

// Decls returns every route-like declaration of Flask seen, by file and
// line (OtherDecls has the other frameworks').
func (p *Project) Decls() []*Decl {
	var out []*Decl
	for _, d := range p.allDecls() {
		if d.NotFlask == "" || d.Resolved {
			out = append(out, d)
		}
	}
	return out
}

// OtherDecls are the route-like declarations on objects of another web
// framework (a FastAPI router, a Chalice app, the project's own small HTTP
// server): not Flask's routes, so neither resolved nor lost.
func (p *Project) OtherDecls() []*Decl {
	var out []*Decl
	for _, d := range p.allDecls() {
		if d.NotFlask != "" && !d.Resolved {
			out = append(out, d)
		}
	}
	return out
}

func (p *Project) allDecls() []*Decl {
	out := append([]*Decl(nil), p.extraDecls...)
	for _, d := range p.declOf {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	for _, d := range out {
		if !d.Resolved && d.Reason == "" {
			d.Reason = "the receiver is not a known app, blueprint, Api or namespace"
		}
		if d.Resolved {
			d.Reason = ""
		}
	}
	return out
}
