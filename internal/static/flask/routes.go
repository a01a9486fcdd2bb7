package flask

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Param is one variable part of a Flask rule.
type Param struct {
	Name      string
	Converter string
}

// Loc is a line of source.
type Loc struct {
	File string
	Line int
}

// Auth is one mechanism applied to a route.
type Auth struct {
	// Kind is jwt, api-key, jwt-or-key, login, basic or custom.
	Kind string
	// Name is the decorator, hook or function as written.
	Name string
	// Via is decorator, hook, method_decorators, decorators or inline.
	Via  string
	File string
	Line int
	// Optional is true when the mechanism lets requests without a
	// credential through (jwt_required(optional=True), a decorator that
	// never rejects).
	Optional bool
	// Lines are the source lines that implement the check: the decode
	// call, the header read, the key comparison, the rejection.
	Lines []Loc
	// Node is the decorator expression, hook or handler definition.
	Node *python.Node
}

// Route is one URL rule bound to a handler.
type Route struct {
	Methods []string
	// Rule is Flask's rule ("/orders/<int:id>"), Path its OpenAPI template
	// form ("/orders/{id}").
	Rule     string
	Path     string
	Params   []Param
	Endpoint string
	// Handler is the function ("list_orders") or "Class.method".
	Handler string
	File    string
	Line    int
	Auth    []Auth
	// Policy is public, jwt, api-key, jwt-or-key, jwt-and-key, login or
	// unknown.
	Policy string
	// Object is the app or blueprint that declares the route.
	Object *Object
	// Def is the handler's function definition; Class the view class.
	Def   *python.Node
	Class *python.Node
	// Decl is the route decorator, add_url_rule or add_resource call.
	Decl *python.Node
	// decorators are the ones that wrap the registered view.
	decorators []*python.Node
	// binding is the route factory expansion that declared the route.
	binding Binding
	// DeclaredPublic is true when the app declares the route public on
	// purpose (an OpenAPI operation with "security: []").
	DeclaredPublic bool
	// Exact is true for a route only the framework placed (exact mode).
	Exact bool
	// lateDecorators wrap the function after registration: no effect.
	LateDecorators []*python.Node
}

// ConvertRule turns a Flask rule (or a FastAPI/Starlette path, whose
// {id:int} loses its convertor) into an OpenAPI path template.
func ConvertRule(rule string) (string, []Param) {
	var b strings.Builder
	var params []Param
	for {
		i := strings.IndexAny(rule, "<{")
		if i < 0 {
			b.WriteString(rule)
			break
		}
		if rule[i] == '{' {
			// FastAPI/Starlette: {id} or {id:int} ({path:path}).
			j := strings.IndexByte(rule[i:], '}')
			if j < 0 {
				b.WriteString(rule)
				break
			}
			name, conv, _ := strings.Cut(rule[i+1:i+j], ":")
			b.WriteString(rule[:i] + "{" + strings.TrimSpace(name) + "}")
			params = append(params, Param{Name: strings.TrimSpace(name), Converter: strings.TrimSpace(conv)})
			rule = rule[i+j+1:]
			continue
		}
		j := strings.IndexByte(rule[i:], '>')
		if j < 0 {
			b.WriteString(rule)
			break
		}
		b.WriteString(rule[:i])
		inner := rule[i+1 : i+j]
		conv, name := "", inner
		if k := strings.LastIndexByte(inner, ':'); k >= 0 {
			conv, name = inner[:k], inner[k+1:]
			if p := strings.IndexByte(conv, '('); p >= 0 {
				conv = conv[:p]
			}
		}
		params = append(params, Param{Name: strings.TrimSpace(name), Converter: conv})
		b.WriteString("{" + strings.TrimSpace(name) + "}")
		rule = rule[i+j+1:]
	}
	return b.String(), params
}

var httpMethods = []string{"get", "post", "put", "patch", "delete", "head", "options"}

func isRouteMethod(name string) bool {
	for _, m := range httpMethods {
		if m == name {
			return true
		}
	}
	return false
}

// prefixes returns the URL prefixes and endpoint prefixes under which an
// object's routes are served.
func (p *Project) prefixes(o *Object, depth int) (urls, eps []string) {
	if o == nil || depth > 8 {
		return []string{""}, []string{""}
	}
	switch o.Kind {
	case "app":
		if pre := p.mountPrefixes(o); len(pre) > 0 {
			return pre, make([]string, len(pre))
		}
		return []string{""}, []string{""}
	case "site":
		return []string{""}, []string{""}
	case "api", "restx":
		urls, eps = p.prefixes(o.Parent, depth+1)
		for i := range urls {
			urls[i] = joinPath(urls[i], o.Prefix)
		}
		return urls, eps
	}
	if len(o.Regs) == 0 {
		if urls, eps, ok := p.nestedByLoader(o, o.Prefix, depth); ok {
			return urls, eps // taken as registered by a loader call (dynreg.go)
		}
		return []string{o.Prefix}, []string{o.Name + "."}
	}
	for _, r := range o.Regs {
		pu, pe := p.prefixes(r.Parent, depth+1)
		prefix := o.Prefix
		switch {
		case r.Nested:
			prefix = r.Prefix + o.Prefix // FastAPI: include prefix + router prefix
		case r.HasPrefix:
			prefix = r.Prefix
		}
		name := o.Name
		if r.Name != "" {
			name = r.Name
		}
		for i := range pu {
			urls = append(urls, joinPath(pu[i], prefix))
			if name == "" {
				eps = append(eps, pe[i]) // a router: no endpoint prefix
			} else {
				eps = append(eps, pe[i]+name+".")
			}
		}
	}
	return urls, eps
}

// served reports whether an object's routes reach an app: blueprints that
// are never registered serve nothing when the project has an app.
func (p *Project) served(o *Object, hasApp bool, depth int) bool {
	if o == nil || depth > 8 {
		return !hasApp
	}
	switch o.Kind {
	case "app", "site":
		return true
	case "api", "restx":
		return p.served(o.Parent, hasApp, depth+1)
	}
	if len(o.Regs) == 0 {
		return !hasApp || o.Kind == "blueprint" && p.dynamicReg(o) != nil
	}
	for _, r := range o.Regs {
		if p.served(r.Parent, hasApp, depth+1) {
			return true
		}
	}
	return false
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return strings.TrimRight(a, "/") + "/" + strings.TrimLeft(b, "/")
}

func (p *Project) addRoute(o *Object, rule string, methods []string, endpoint string, r Route) {
	// Whether an app exists in the object's own tree: an unregistered
	// blueprint serves nothing there, whatever other projects hold.
	hasApp := false
	root := p.rootOf(o.Module)
	for _, ob := range p.objects {
		if ob.Kind == "app" && (o.Module == nil || p.rootOf(ob.Module) == root) {
			hasApp = true
			break // one is enough (the loop ran over every object per route)
		}
	}
	served, assumed := p.assumedServed(o, hasApp)
	if !served {
		what := o.Kind + " " + o.Var
		if o.Router && o.Kind == "blueprint" {
			what = "router " + o.Var // FastAPI's APIRouter: include_router
		}
		if o.Name != "" {
			what = o.Kind + " " + o.Name
		}
		p.unresolved(what + " is never registered on an app" + p.lostRegistrations(o))
		return
	}
	if d := p.curDecl; d != nil {
		d.Resolved = true
		if assumed == "" && o.Injected != "" && len(o.Regs) == 0 {
			assumed = o.Injected
		}
		if assumed != "" && d.Assumed == "" {
			d.Assumed = assumed
		}
	}
	urls, eps := p.prefixes(o, 0)
	if len(o.Regs) == 0 && (assumed != "" || o.Injected != "") {
		if pre, ok := p.loaderPrefix(o); ok {
			urls = []string{pre}
			if nu, _, ok := p.nestedByLoader(o, pre, 0); ok && o.Injected == "" {
				urls = nu
			}
		} else if d := p.curDecl; d != nil && d.Assumed != "" && !strings.Contains(d.Assumed, "computed at run time") {
			d.Assumed += "; the url_prefix the loader registers it with is computed at run time and is not in these paths"
		}
	}
	if o.PrefixUnknown != "" && len(o.Regs) == 0 {
		if d := p.curDecl; d != nil && !strings.Contains(d.Assumed, "computed at run time") {
			if d.Assumed != "" {
				d.Assumed += "; "
			}
			d.Assumed += o.Kind + " " + o.Var + "'s url_prefix (" + o.PrefixUnknown + ") is computed at run time and is not in these paths"
		}
	}
	p.notePrefixUnknown(o)
	for i := range urls {
		nr := r
		nr.Object = o
		nr.Methods = methods
		nr.Rule = joinRule(urls[i], rule)
		nr.Path, nr.Params = ConvertRule(nr.Rule)
		if o.Router {
			typedParams(&nr)
		}
		nr.Endpoint = eps[i] + endpoint
		p.Routes = append(p.Routes, &nr)
	}
}

// joinRule joins a prefix and a rule the way Flask does.
func joinRule(prefix, rule string) string {
	if prefix == "" {
		return rule
	}
	if rule == "" {
		return strings.TrimRight(prefix, "/")
	}
	return strings.TrimRight(prefix, "/") + "/" + strings.TrimLeft(rule, "/")
}

func (p *Project) sortRoutes() {
	sort.SliceStable(p.Routes, func(i, j int) bool {
		a, b := p.Routes[i], p.Routes[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return strings.Join(a.Methods, ",") < strings.Join(b.Methods, ",")
	})
}

// notePrefixUnknown states on the current declaration that a registration
// of o (or of the blueprint an Api of o is bound to) has a url_prefix the
// analysis cannot compute: the paths lack that part.
func (p *Project) notePrefixUnknown(o *Object) {
	d := p.curDecl
	for depth := 0; o != nil && d != nil && depth < 8; depth++ {
		for _, r := range o.Regs {
			if r.PrefixUnknown == "" || strings.Contains(d.Assumed, r.PrefixUnknown) {
				continue
			}
			if d.Assumed != "" {
				d.Assumed += "; "
			}
			d.Assumed += o.Kind + " " + o.Var + " is registered with a url_prefix computed at run time (" + r.PrefixUnknown + "), not in these paths"
		}
		if o.Kind != "api" && o.Kind != "restx" {
			return
		}
		o = o.Parent
	}
}
