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
	gate Auth
	// exempt are paths it lets through; only, when set, the only paths
	// it checks.
	exempt, only []pathSet
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
	mw := &asgiMiddleware{}
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

// allowList reads the path tests of a middleware's if statements: paths
// compared with ==, != , in or not in, prefixes given to startswith. A
// test whose branch passes the request on (call_next) names exempt paths;
// one whose branch checks the credential names the only paths checked;
// a negated test (not in, !=, not ...) the other way round. A test whose
// branch does neither counts its paths as exempt: an allow-list the model
// cannot place never makes a route look protected.
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
		if n.Kind != "if_statement" {
			return true
		}
		cond := n.ChildByField("condition")
		if !strings.Contains(cond.Text(), "path") {
			return true
		}
		set := pathSet{exact: map[string]bool{}}
		cond.Walk(func(c *python.Node) bool {
			switch c.Kind {
			case "comparison_operator":
				for _, o := range c.NamedChildren() {
					if !strings.Contains(o.Text(), "path") {
						for _, s := range strs(o) {
							set.exact[s] = true
						}
					}
				}
			case "call":
				fn := c.ChildByField("function")
				if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "startswith" && strings.Contains(fn.ChildByField("object").Text(), "path") {
					set.prefix = append(set.prefix, strs(positional(c.ChildByField("arguments"), 0))...)
				}
			}
			return true
		})
		t := strings.TrimSpace(cond.Text())
		negated := strings.Contains(t, " not in ") || strings.Contains(t, "!=") || strings.HasPrefix(t, "not ")
		body := n.ChildByField("consequence")
		passes := strings.Contains(body.Text(), "call_next")
		checks := p.checksIn(m, body)
		switch {
		case passes && !negated || checks && negated:
			mw.exempt = append(mw.exempt, set)
		case checks && !negated || passes && negated:
			mw.only = append(mw.only, set)
		default:
			mw.exempt = append(mw.exempt, set)
		}
		return true
	})
}

// checksIn: a block reads a credential from the request or refuses.
func (p *Project) checksIn(m *Module, b *python.Node) bool {
	t := b.Text()
	if strings.Contains(t, "headers") || strings.Contains(t, "cookies") || strings.Contains(t, "query_params") {
		return true
	}
	hit := false
	b.Walk(func(n *python.Node) bool {
		hit = hit || n.Kind == "call" && p.refusalResponse(n) || n.Kind == "raise_statement"
		return !hit
	})
	return hit
}

// pathSet is a set of paths and prefixes a middleware tests.
type pathSet struct {
	exact  map[string]bool
	prefix []string
}

func (s pathSet) has(path string) bool {
	if s.exact[path] || s.exact[strings.TrimRight(path, "/")] {
		return true
	}
	for _, pre := range s.prefix {
		if pre != "" && strings.HasPrefix(path, pre) {
			return true
		}
	}
	return false
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
	for _, s := range mw.exempt {
		if s.has(path) {
			return true
		}
	}
	for _, s := range mw.only {
		if s.has(path) {
			return false
		}
	}
	return len(mw.only) > 0
}
