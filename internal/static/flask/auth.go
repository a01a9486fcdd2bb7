package flask

import (
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) resolveAuth() {
	// What a hook contributes whatever the route is (its decorators, and
	// the entry its gate makes) is worked out once per hook, and which
	// hooks cover a route once per app or blueprint: a module with many
	// hooks and many routes costs the pairs' gate decisions, nothing more.
	hooks := map[*Hook]*hookAuth{}
	covers := map[*Object][]*Hook{}
	for _, r := range p.Routes {
		m := p.ModuleOf(r.Def)
		hs := p.coveringMemo(r, covers)
		room := len(r.decorators) + 2
		for _, h := range hs {
			ha := hooks[h]
			if ha == nil {
				ha = p.newHookAuth(h)
				hooks[h] = ha
			}
			room += len(ha.decorated) + 1
		}
		r.Auth = slices.Grow(r.Auth, room)
		for _, d := range r.decorators {
			if a, ok := p.classifyDecorator(p.ModuleOf(d), d, r.binding); ok {
				r.Auth = append(r.Auth, a)
			}
		}
		for _, h := range hs {
			ha := hooks[h]
			// A hook guarded by a decorator is judged by it: the
			// decorator runs before the hook's body, for every route.
			r.Auth = append(r.Auth, ha.decorated...)
			if gated, lines := p.gates(h, r); gated {
				a := ha.gate
				a.Lines = lines
				r.Auth = append(r.Auth, a)
			}
		}
		r.Auth = append(r.Auth, p.dependencyAuth(r)...)
		r.Auth = append(r.Auth, p.middlewareAuth(r)...)
		if m != nil && r.Def != nil && r.Def.Kind == "class_definition" {
			if a, ok := p.classAuth(m, r.Def); ok {
				r.Auth = append(r.Auth, a)
			}
		} else if m != nil && r.Def != nil {
			if fi := p.analyzeFunc(r.Def, 0); len(fi.kinds) > 0 && fi.rejects && fi.reads {
				r.Auth = append(r.Auth, Auth{Kind: fi.Kind(), Name: r.Handler, Via: "inline",
					File: r.File, Line: r.Line, Lines: fi.lines, Node: r.Def})
			}
			if a, ok := p.dispatchedAuth(r); ok {
				r.Auth = append(r.Auth, a)
			}
		}
		r.Policy = policy(r.Auth)
	}
}

func kindOr(k string) string {
	if k == "" {
		return "custom"
	}
	return k
}

// analyzeBodyMemo is analyzeBody for gate statements, which every route
// re-examines.
func (p *Project) analyzeBodyMemo(n *python.Node) *funcInfo {
	if fi, ok := p.bodyMemo[n]; ok {
		return fi
	}
	fi := p.analyzeBody(n, 1)
	p.bodyMemo[n] = fi
	return fi
}

func mentionsRequestField(c *python.Node) bool {
	found := false
	c.Walk(func(n *python.Node) bool {
		if f := requestField(n); f == "endpoint" || f == "path" || f == "blueprint" {
			found = true
		}
		return !found
	})
	return found
}

// classifyDecorator says whether a decorator authenticates, and how.
func (p *Project) classifyDecorator(m *Module, d *python.Node, b Binding) (Auth, bool) {
	if m == nil {
		return Auth{}, false
	}
	callee, args := d, (*python.Node)(nil)
	if d.Kind == "call" {
		callee, args = d.ChildByField("function"), d.ChildByField("arguments")
	}
	dotted := callee.DottedName()
	q := m.Qualify(dotted)
	last := q[strings.LastIndex(q, ".")+1:]
	name, _, _ := strings.Cut(d.Text(), "\n")
	a := Auth{Name: strings.TrimSpace(name), Via: "decorator", File: m.File.Path, Line: d.Line, Node: d}
	optional, _ := p.Eval(keyword(args, "optional")).Truthy()
	switch {
	case strings.Contains(q, "flask_jwt_extended") && strings.Contains(last, "jwt"):
		a.Kind, a.Optional = "jwt", optional || last == "jwt_optional"
		return a, true
	case strings.Contains(q, "flask_login") && last == "login_required":
		a.Kind = "login"
		return a, true
	case strings.Contains(q, "flask_appbuilder") && (last == "has_access" || last == "has_access_api" || last == "protect"):
		a.Kind = "login"
		return a, true
	case q == "starlette.authentication.requires":
		// Starlette's @requires("authenticated"): the app's
		// AuthenticationMiddleware backend reads the credential.
		a.Kind = "custom"
		return a, true
	case strings.Contains(q, "flask_httpauth") && last == "login_required":
		a.Kind, a.Optional = p.httpAuthKind(m, callee.ChildByField("object")), optional
		a.Lines = p.httpAuthLines(m, callee.ChildByField("object"))
		return a, true
	}
	if dm, def := p.resolveCallable(m, callee); def != nil {
		fi := &funcInfo{kinds: map[string]bool{}}
		fi.merge(p.analyzeFunc(def, 0))
		// A decorator factory given the verifier (guarded(verify_jwt))
		// checks what that function checks.
		for _, arg := range args.NamedChildren() {
			arg = b.Resolve(arg)
			if _, vdef := p.resolveCallable(p.ModuleOf(arg), arg); vdef != nil && vdef != def {
				sub := p.analyzeFunc(vdef, 1)
				for k := range sub.kinds {
					fi.kinds[k] = true
				}
				fi.lines = append(fi.lines, sub.lines...)
				fi.lines = append(fi.lines, Loc{File: vdef.File.Path, Line: vdef.Line})
			}
		}
		fi.lines = dedupLocs(fi.lines)
		// A decorator that answers 401 gates on authentication whatever
		// it is called (quay's check_anon_protection: 401 unless the
		// request carries an authenticated context).
		// A decorator that refuses after reading the signed-in identity
		// (g.user's role, current_user.is_admin) checks authorization,
		// whatever it is called.
		if (len(fi.kinds) == 0 || !fi.reads) && !(fi.rejects && (authLikeName(dotted) || readsIdentity(def))) && !fi.unauth {
			return Auth{}, false
		}
		a.Kind, a.Optional = kindOr(fi.Kind()), !fi.rejects
		a.Lines = append([]Loc{{File: dm.File.Path, Line: def.Line}}, fi.lines...)
		return a, true
	}
	if authLikeName(dotted) {
		a.Kind = "custom"
		return a, true
	}
	return Auth{}, false
}

func authLikeName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"auth", "login_required", "token", "jwt", "api_key", "apikey", "require", "permission", "role", "admin"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// httpAuthCallbacks returns the verify_token / verify_password callbacks
// registered on a Flask-HTTPAuth object.
func (p *Project) httpAuthCallbacks(m *Module, obj *python.Node) []*python.Node {
	name := obj.DottedName()
	key := m.Qualify(name)
	if cbs, ok := p.cbMemo[key]; ok {
		return cbs
	}
	var out []*python.Node
	defer func() { p.cbMemo[key] = out }()
	for _, mm := range p.Modules {
		for _, n := range mm.File.OfKind("function_definition") {
			for _, d := range Decorators(n) {
				if d.Kind == "attribute" && strings.HasPrefix(d.ChildByField("attribute").Text(), "verify_") &&
					mm.Qualify(d.ChildByField("object").DottedName()) == m.Qualify(name) {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

func (p *Project) httpAuthKind(m *Module, obj *python.Node) string {
	fi := &funcInfo{kinds: map[string]bool{}}
	for _, cb := range p.httpAuthCallbacks(m, obj) {
		fi.merge(p.analyzeFunc(cb, 0))
		if strings.Contains(cb.Text(), "compare_digest") || strings.Contains(strings.ToLower(cb.Text()), "key") {
			fi.kinds["api-key"] = true
		}
	}
	q := m.Qualify(obj.DottedName())
	switch {
	case fi.kinds["jwt"] || fi.kinds["api-key"]:
		return fi.Kind()
	case strings.Contains(q, "HTTPBasicAuth") || strings.Contains(q, "HTTPDigestAuth"):
		return "basic"
	}
	return "custom"
}

func (p *Project) httpAuthLines(m *Module, obj *python.Node) []Loc {
	var out []Loc
	for _, cb := range p.httpAuthCallbacks(m, obj) {
		out = append(out, Loc{File: cb.File.Path, Line: cb.Line})
		out = append(out, p.analyzeFunc(cb, 0).lines...)
	}
	return out
}

// policy folds a route's mechanisms into its declared policy.
func policy(auths []Auth) string {
	kinds := map[string]int{}
	for _, a := range auths {
		if !a.Optional {
			kinds[a.Kind]++
		}
	}
	switch {
	case len(kinds) == 0:
		return "public"
	case kinds["jwt-or-key"] > 0:
		if kinds["jwt"] > 0 && kinds["api-key"] == 0 {
			return "jwt"
		}
		return "jwt-or-key"
	case kinds["jwt"] > 0 && kinds["api-key"] > 0:
		return "jwt-and-key"
	case kinds["jwt"] > 0:
		return "jwt"
	case kinds["api-key"] > 0:
		return "api-key"
	case kinds["login"] > 0 || kinds["basic"] > 0:
		return "login"
	}
	return "unknown"
}

// resolveCallable finds the function an expression names: a project
// function, a function defined in an enclosing scope, or a parameter bound
// to one at the enclosing function's call sites (guarded(verify)).
func (p *Project) resolveCallable(m *Module, n *python.Node) (*Module, *python.Node) {
	if n == nil {
		return nil, nil
	}
	if n.Kind == "call" { // a verifier factory: wallet(options=...) returns the check
		return p.resolveCallable(m, n.ChildByField("function"))
	}
	if dm, def := p.ResolveFunc(m, n.DottedName()); def != nil {
		return dm, def
	}
	if def := localFunc(n); def != nil {
		return p.ModuleOf(def), def
	}
	fn := ParamOf(n)
	if fn == nil || p.resolvingParams[fn] {
		return nil, nil
	}
	p.resolvingParams[fn] = true
	defer delete(p.resolvingParams, fn)
	for _, cs := range p.CallSites(fn) {
		if a := cs.Arg(fn, n.Text()); a != nil {
			if dm, def := p.resolveCallable(p.ModuleOf(a), a); def != nil {
				return dm, def
			}
		}
	}
	return nil, nil
}

// readsIdentity: the function reads the request's signed-in identity
// (current_user, g.user, g.get("user")).
func readsIdentity(def *python.Node) bool {
	found := false
	def.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "attribute", "identifier":
			d := x.DottedName()
			found = found || d == "current_user" || strings.HasPrefix(d, "current_user.") || d == "g.user" || strings.HasPrefix(d, "g.user.") ||
				strings.HasPrefix(d, "flask.g.user")
		case "call":
			if fn := x.ChildByField("function"); fn.DottedName() == "g.get" || fn.DottedName() == "flask.g.get" {
				s, ok := positional(x.ChildByField("arguments"), 0).StringValue()
				found = found || ok && strings.Contains(strings.ToLower(s), "user")
			}
		}
		return !found
	})
	return found
}
