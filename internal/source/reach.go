package source

import (
	"bytes"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// span is a range of lines in one file.
type span struct {
	file       string
	start, end int
}

func (s span) has(l *finding.Location) bool {
	return l != nil && l.File == s.file && l.Line >= s.start && l.Line <= s.end
}

// reach lists the lines that decide a route's authentication: its handler,
// every line that implements its auth (decorators, hooks, decode and
// comparison lines), and the bodies of the project functions they call, a
// few calls deep (a hand-rolled verify_token lives there).
func reach(proj *flask.Project, r *flask.Route) []span {
	var out []span
	if r.Def != nil {
		out = append(out, span{r.File, r.Def.Line, nodeEnd(r.Def)})
	} else {
		out = append(out, span{r.File, r.Line, r.Line})
	}
	for _, d := range decoratorLines(r) {
		out = append(out, span{d.File, d.Line, d.Line})
	}
	for _, a := range r.Auth {
		if a.File != "" {
			out = append(out, span{a.File, a.Line, a.Line})
		}
		for _, l := range a.Lines {
			out = append(out, span{l.File, l.Line, l.Line})
		}
	}
	return append(out, calleeSpans(proj, r)...)
}

// calleeSpans are the bodies of the project functions the route's handler
// and auth decorators call, three calls deep.
func calleeSpans(proj *flask.Project, r *flask.Route) []span {
	var roots []*python.Node
	if r.Def != nil {
		roots = append(roots, r.Def)
	}
	for _, a := range r.Auth {
		if m := moduleByFile(proj, a.File); m != nil {
			if _, def := proj.ResolveFunc(m, a.Name); def != nil {
				roots = append(roots, def)
			}
		}
	}
	roots = append(roots, decoratorRefs(proj, r)...)
	var out []span
	seen := map[*python.Node]bool{}
	for i, root := range roots {
		if i > 0 || r.Def == nil {
			// A decorator's or hook's own body decides too.
			out = append(out, span{root.File.Path, root.Line, nodeEnd(root)})
		}
		out = append(out, callees(proj, root, 3, seen)...)
	}
	return out
}

// callees returns the spans of project functions called from fn.
func callees(proj *flask.Project, fn *python.Node, depth int, seen map[*python.Node]bool) []span {
	if depth == 0 || fn == nil || seen[fn] {
		return nil
	}
	seen[fn] = true
	m := proj.ModuleOf(fn)
	if m == nil {
		return nil
	}
	var out []span
	fn.Walk(func(n *python.Node) bool {
		if n.Kind != "call" {
			return true
		}
		name := n.ChildByField("function")
		if name == nil || (name.Kind != "identifier" && name.Kind != "attribute") {
			return true
		}
		if _, def := proj.ResolveFunc(m, name.Text()); def != nil && !seen[def] && !proj.RefusalBuilder(def) {
			out = append(out, span{def.File.Path, def.Line, nodeEnd(def)})
			out = append(out, callees(proj, def, depth-1, seen)...)
		}
		return true
	})
	return out
}

// decoratorLines are the source lines of the route's decorators: options
// given to a decorator factory (@guarded(verifier(options=...))) live there.
func decoratorLines(r *flask.Route) []flask.Loc {
	if r.Def == nil {
		return nil
	}
	var out []flask.Loc
	for _, d := range flask.Decorators(r.Def) {
		for n := d.Line; n <= nodeEnd(d); n++ {
			out = append(out, flask.Loc{File: r.File, Line: n})
		}
	}
	return out
}

// decoratorRefs are the project functions a route's decorators name,
// called or passed (@guarded(v.invoices) hands the verifier over).
func decoratorRefs(proj *flask.Project, r *flask.Route) []*python.Node {
	if r.Def == nil {
		return nil
	}
	m := proj.ModuleOf(r.Def)
	if m == nil {
		return nil
	}
	var out []*python.Node
	seen := map[*python.Node]bool{}
	for _, d := range flask.Decorators(r.Def) {
		d.Walk(func(n *python.Node) bool {
			if n.Kind != "identifier" && n.Kind != "attribute" {
				return true
			}
			if _, def := proj.ResolveFunc(m, n.Text()); def != nil && !seen[def] {
				seen[def] = true
				out = append(out, def)
			}
			return n.Kind != "attribute"
		})
	}
	return out
}

func moduleByFile(proj *flask.Project, file string) *flask.Module {
	for _, m := range proj.Modules {
		if m.File.Path == file {
			return m
		}
	}
	return nil
}

func nodeEnd(n *python.Node) int {
	if n.File == nil || n.End > len(n.File.Src) || n.Start > n.End {
		return n.Line
	}
	return n.Line + bytes.Count(n.File.Src[n.Start:n.End], []byte("\n"))
}
