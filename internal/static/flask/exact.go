package flask

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ExactRule is one URL rule the framework itself reported (exact mode):
// File and Line are where the unwrapped view is defined.
type ExactRule struct {
	Rule     string
	Endpoint string
	Methods  []string
	File     string
	Line     int
}

// ExactHook is one before_request function the framework reported;
// Blueprint is "" for the app's own.
type ExactHook struct {
	Blueprint string
	File      string
	Line      int
}

// NotPlaced is a route the framework serves that the static model did
// not place, with why the static model lost it.
type NotPlaced struct {
	Method, Rule, Endpoint string
	File                   string
	Line                   int
	Reason                 string
}

// UseExact makes the framework's rules the route inventory: routes the
// static model placed keep their analysis under the framework's endpoint
// names; the others are built from their view definitions and listed in
// NotPlaced; static routes the app does not serve are dropped (listed in
// Dropped), but for the routes of extensions the app was imported with
// stand-ins for (stubbedRouters: flask_restx, flask_admin, ...): those
// the app could not register, so the static model's stand. Hooks cover
// routes as the framework says (app hooks and those of the blueprints in
// the endpoint), and authentication is resolved again.
func (p *Project) UseExact(rules []ExactRule, hooks []ExactHook, stubbedRouters []string) {
	p.Mode = "exact"
	p.modelling = true
	defer func() { p.modelling = false }()
	decls := p.Decls() // gives every unresolved declaration its reason
	type key struct{ method, rule string }
	static := map[key]*Route{}
	for _, r := range p.Routes {
		for _, m := range r.Methods {
			if _, dup := static[key{m, r.Rule}]; !dup {
				static[key{m, r.Rule}] = r
			}
		}
	}
	served := map[key]bool{}
	var out []*Route
	used := map[*Route]bool{}
	for _, er := range rules {
		if er.File == "" {
			er.Line = 0 // a library's view: its line is not the project's
		}
		var missing []string
		for _, m := range er.Methods {
			served[key{m, er.Rule}] = true
			r := static[key{m, er.Rule}]
			if r == nil {
				missing = append(missing, m)
				continue
			}
			if !used[r] {
				used[r] = true
				r.Endpoint = er.Endpoint
				out = append(out, r)
			}
		}
		if len(missing) == 0 {
			continue
		}
		nr := p.exactRoute(er, missing)
		out = append(out, nr)
		reason := p.lostBecause(er, decls)
		for _, m := range missing {
			p.NotPlaced = append(p.NotPlaced, NotPlaced{Method: m, Rule: er.Rule, Endpoint: er.Endpoint,
				File: er.File, Line: er.Line, Reason: reason})
		}
	}
	for _, r := range p.Routes {
		for _, m := range r.Methods {
			if served[key{m, r.Rule}] {
				continue
			}
			if p.stubbedRoute(r, stubbedRouters) {
				served[key{m, r.Rule}] = true
				if !used[r] {
					used[r] = true
					out = append(out, r)
				}
				continue
			}
			p.Dropped = append(p.Dropped, NotPlaced{Method: m, Rule: r.Rule, Endpoint: r.Endpoint, File: r.File, Line: r.Line,
				Reason: "placed by the static model; the imported app does not serve it"})
		}
	}
	// A static route keeps only the methods the app serves.
	for _, r := range out {
		var ms []string
		for _, m := range r.Methods {
			if served[key{m, r.Rule}] {
				ms = append(ms, m)
			}
		}
		r.Methods = ms
	}
	p.Routes = out
	p.exactHooks = p.hooksAt(hooks)
	for _, r := range p.Routes {
		r.Auth, r.Policy = nil, ""
	}
	p.resolveAuth()
	p.sortRoutes()
}

// exactRoute builds a route the static model did not place from the view
// definition the framework names.
func (p *Project) exactRoute(er ExactRule, methods []string) *Route {
	r := &Route{Methods: methods, Rule: er.Rule, Endpoint: er.Endpoint, File: er.File, Line: er.Line, Exact: true}
	r.Path, r.Params = ConvertRule(er.Rule)
	def, cls := p.defAt(er.File, er.Line)
	switch {
	case cls != nil:
		r.Class = cls
		r.Handler = cls.ChildByField("name").Text()
		if len(methods) == 1 {
			chain := p.classChain(p.ModuleOf(cls), cls)
			if ref, d := classMember(chain, strings.ToLower(methods[0])); d != nil && d.Kind == "function_definition" {
				r.Def, r.Handler, r.File, r.Line = d, r.Handler+"."+strings.ToLower(methods[0]), ref.mod.File.Path, d.Line
				r.decorators = append(r.decorators, Decorators(d)...)
			}
		}
		if _, d := classMember(p.classChain(p.ModuleOf(cls), cls), "decorators"); d != nil && (d.Kind == "list" || d.Kind == "tuple") {
			r.decorators = append(r.decorators, d.NamedChildren()...)
		}
	case def != nil:
		r.Def = def
		r.Handler = def.ChildByField("name").Text()
		r.Line = def.Line
		r.decorators = Decorators(def)
	default:
		r.Handler = er.Endpoint
	}
	return r
}

// defAt finds the function or class defined at line of file (the line of
// its def or of its first decorator, as Python reports it).
func (p *Project) defAt(file string, line int) (def, cls *python.Node) {
	m := p.byPath(file)
	if m == nil || line <= 0 {
		return nil, nil
	}
	for _, kind := range []string{"function_definition", "class_definition"} {
		for _, n := range m.File.OfKind(kind) {
			start := n.Line
			if n.Parent != nil && n.Parent.Kind == "decorated_definition" {
				start = n.Parent.Line
			}
			if line < start || line > n.Line {
				continue
			}
			if kind == "class_definition" {
				return nil, n
			}
			return n, nil
		}
	}
	return nil, nil
}

func (p *Project) byPath(file string) *Module {
	for _, m := range p.Modules {
		if m.File.Path == file {
			return m
		}
	}
	return nil
}

// hooksAt maps the framework's hooks to hook models, by blueprint; a
// hook the static model did not collect is analysed from its definition.
func (p *Project) hooksAt(hooks []ExactHook) map[string][]*Hook {
	out := map[string][]*Hook{}
	for _, eh := range hooks {
		def, _ := p.defAt(eh.File, eh.Line)
		if def == nil {
			continue
		}
		var h *Hook
		for _, sh := range p.Hooks {
			if sh.Def == def {
				h = sh
			}
		}
		if h == nil {
			h = &Hook{AppWide: eh.Blueprint == "", Def: def, Module: p.ModuleOf(def)}
			h.info = p.analyzeFunc(def, 0)
			h.Lists = p.gateLists(def)
			h.decorators = Decorators(def)
			p.Hooks = append(p.Hooks, h)
		}
		out[eh.Blueprint] = append(out[eh.Blueprint], h)
	}
	return out
}

// exactCovering lists the hooks the framework runs before a route: the
// app's and those of every blueprint its endpoint is nested in.
func (p *Project) exactCovering(r *Route) []*Hook {
	hs := append([]*Hook{}, p.exactHooks[""]...)
	parts := strings.Split(r.Endpoint, ".")
	for i := 1; i < len(parts); i++ {
		hs = append(hs, p.exactHooks[strings.Join(parts[:i], ".")]...)
	}
	return hs
}

// NotPlacedSorted is NotPlaced by file, line and rule.
func (p *Project) NotPlacedSorted() []NotPlaced {
	out := append([]NotPlaced{}, p.NotPlaced...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Rule+out[i].Method < out[j].Rule+out[j].Method
	})
	return out
}
