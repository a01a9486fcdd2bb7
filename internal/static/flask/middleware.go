package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// An ASGI app's HTTP middleware is its before_request hook: a function
// under @app.middleware("http"), or the dispatch method of a class given
// to app.add_middleware(Cls). One that reads a credential from the
// request and refuses (a 401/403 response or exception) gates every route
// of the app but those its path tests let through (an allow-list: paths
// compared with ==, in, or startswith).

// asgiMiddleware is one gating middleware: its gate and exemptions.
type asgiMiddleware struct {
	gate   Auth
	exact  map[string]bool
	prefix []string
}

// middlewares are the gating middlewares of each ASGI app (memoised).
func (p *Project) middlewares() map[*Object][]*asgiMiddleware {
	if p.asgiMW != nil {
		return p.asgiMW
	}
	p.asgiMW = map[*Object][]*asgiMiddleware{}
	add := func(o *Object, m *Module, def *python.Node) {
		if o == nil || !o.Router || o.Kind != "app" || def == nil || def.Kind != "function_definition" {
			return
		}
		if mw := p.middlewareGate(m, def); mw != nil {
			p.asgiMW[o] = append(p.asgiMW[o], mw)
		}
	}
	for _, m := range p.Modules {
		for _, c := range m.File.OfKind("call") {
			fn := c.ChildByField("function")
			if fn == nil || fn.Kind != "attribute" {
				continue
			}
			switch fn.ChildByField("attribute").Text() {
			case "middleware":
				// @app.middleware("http") over a function.
				dec := c.Parent
				if dec == nil || dec.Kind != "decorator" || dec.Parent == nil {
					continue
				}
				add(p.ObjectAt(fn.ChildByField("object")), m, dec.Parent.ChildByField("definition"))
			case "add_middleware":
				cm, cls := p.ResolveClass(m, positional(c.ChildByField("arguments"), 0).DottedName())
				if cls == nil {
					continue
				}
				if ref, def := classMember(p.classChain(cm, cls), "dispatch"); def != nil {
					add(p.ObjectAt(fn.ChildByField("object")), ref.mod, def)
				}
			}
		}
	}
	return p.asgiMW
}

// middlewareGate is the gate a middleware function makes, nil when it
// reads no credential or never refuses.
func (p *Project) middlewareGate(m *Module, def *python.Node) *asgiMiddleware {
	fi := p.analyzeFunc(def, 0)
	refusals := p.refusals(m, def)
	def.ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "call" && p.refusalResponse(n) {
			refusals = append(refusals, Loc{File: m.File.Path, Line: n.Line})
		}
		return true
	})
	if !fi.reads || !fi.rejects && len(refusals) == 0 {
		return nil
	}
	mw := &asgiMiddleware{exact: map[string]bool{}}
	mw.gate = Auth{Kind: kindOr(fi.Kind()), Name: def.ChildByField("name").Text(), Via: "middleware",
		File: m.File.Path, Line: def.Line, Lines: append(fi.lines, refusals...), Node: def}
	p.allowList(m, def, mw)
	return mw
}

// refusalResponse: a response made with status_code 401 or 403
// (JSONResponse({...}, status_code=401), Response(status_code=403)).
func (p *Project) refusalResponse(call *python.Node) bool {
	st := keyword(call.ChildByField("arguments"), "status_code")
	if st == nil {
		return false
	}
	if v := p.Eval(st); v.Kind == Int {
		return v.I == 401 || v.I == 403
	}
	if s := statusName.FindStringSubmatch(st.Text()); s != nil {
		return s[1] == "401" || s[1] == "403"
	}
	return false
}

// allowList gathers the paths a middleware compares the request's path
// with: == and in give exact paths, startswith prefixes; a name bound to
// a constant list, tuple or set gives its strings.
func (p *Project) allowList(m *Module, def *python.Node, mw *asgiMiddleware) {
	strs := func(n *python.Node) []string {
		v := p.Eval(n)
		if v.Kind == Str {
			return []string{v.S}
		}
		ss, _ := v.Strings()
		return ss
	}
	def.ChildByField("body").Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "comparison_operator":
			if !strings.Contains(n.Text(), "path") {
				return true
			}
			for _, c := range n.NamedChildren() {
				if strings.Contains(c.Text(), "path") {
					continue
				}
				for _, s := range strs(c) {
					mw.exact[s] = true
				}
			}
		case "call":
			fn := n.ChildByField("function")
			if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "startswith" && strings.Contains(fn.ChildByField("object").Text(), "path") {
				mw.prefix = append(mw.prefix, strs(positional(n.ChildByField("arguments"), 0))...)
			}
		}
		return true
	})
}

// middlewareAuth is the gates of the middlewares of the apps a route is
// served by, but those whose allow-list names its path.
func (p *Project) middlewareAuth(r *Route) []Auth {
	if r.Object == nil || !r.Object.Router {
		return nil
	}
	mws := p.middlewares()
	if len(mws) == 0 {
		return nil
	}
	var out []Auth
	for app := range p.appsOf(r.Object, 0) {
		for _, mw := range mws[app] {
			if !mw.exempts(r.Path) {
				out = append(out, mw.gate)
			}
		}
	}
	return out
}

func (mw *asgiMiddleware) exempts(path string) bool {
	if mw.exact[path] || mw.exact[strings.TrimRight(path, "/")] {
		return true
	}
	for _, pre := range mw.prefix {
		if pre != "" && strings.HasPrefix(path, pre) {
			return true
		}
	}
	return false
}
