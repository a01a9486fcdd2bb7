package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixRouteAuth gives a route the authentication its siblings have: a
// Flask-RESTful Resource gets the method_decorators its sibling Resources
// in the file share; a view function gets the one auth decorator the
// file's other routes share.
func fixRouteAuth(s *site) (*attempt, string) {
	if s.f.Source == "static" && s.anonymousSecrets() == "" {
		// Many routes are public on purpose (webhooks, sign-up, public
		// lists): only a live scan that was served without a credential
		// (authz.missing-authentication, or other users' secrets handed to
		// a caller without one) shows this one should not be.
		return nil, "the code alone cannot tell a route meant to be public from one that lacks its auth; scan it (authz.missing-authentication) to confirm"
	}
	var fn *python.Node
	for _, d := range s.onLine("function_definition", "decorated_definition") {
		if d.Kind == "decorated_definition" {
			d = d.ChildByField("definition")
		}
		if d != nil && d.Kind == "function_definition" {
			fn = d
			break
		}
	}
	if fn == nil {
		return nil, "no function definition on " + s.f.Location.String()
	}
	var a *attempt
	var why string
	if cls := fn.Ancestor("class_definition"); cls != nil {
		a, why = s.resourceAuth(cls)
	} else {
		a, why = s.viewAuth(fn)
	}
	if a != nil && s.f.Source == "static" {
		a.what += " (the scan served it without credentials: finding " + short(s.anonymousSecrets()) + ")"
	}
	return a, why
}

// anonymousSecrets returns the fingerprint of a live finding at the
// static finding's endpoint proving that a caller without credentials was
// served what only an authenticated one may get: users' secrets or their
// own records (leak.sensitive-data, leak.other-principal-data found
// without credentials), or the route's data itself
// (authz.missing-authentication); "" when there is none.
func (s *site) anonymousSecrets() string {
	if s.f.Endpoint == nil {
		return ""
	}
	for _, o := range s.p.all {
		if o.Source == "static" || o.Identity != "" || o.Endpoint == nil || *o.Endpoint != *s.f.Endpoint {
			continue
		}
		if o.Rule == "leak.sensitive-data" || o.Rule == "leak.other-principal-data" || o.Rule == "authz.missing-authentication" {
			return o.Fingerprint
		}
	}
	return ""
}

// resourceAuth adds the siblings' method_decorators to a Resource class.
func (s *site) resourceAuth(cls *python.Node) (*attempt, string) {
	seen := map[string]bool{}
	for _, other := range s.file.OfKind("class_definition") {
		if other == cls {
			continue
		}
		for _, st := range other.ChildByField("body").NamedChildren() {
			for _, as := range st.NamedChildren() {
				if as.Kind == "assignment" && as.ChildByField("left").Text() == "method_decorators" {
					seen[as.ChildByField("right").Text()] = true
				}
			}
		}
	}
	dec := one(seen)
	if dec == "" {
		return nil, "the sibling Resources do not share one method_decorators list"
	}
	body := cls.ChildByField("body")
	for _, st := range body.NamedChildren() {
		if strings.Contains(st.Text(), "method_decorators") {
			return nil, "the Resource already sets method_decorators"
		}
	}
	at := lineStart(s.src(), body.Start)
	ind := indentOf(s.src(), body.Start)
	return &attempt{edits: []Edit{{Start: at, End: at, New: ind + "method_decorators = " + dec + "\n\n"}},
		what: "method_decorators = " + dec + ", as the sibling Resources"}, ""
}

// viewAuth adds the auth decorator the route's siblings agree on: the
// other routes of the same URL rule (other methods) when there are any,
// else every other route of the file that has a decorator besides its
// route (public routes, with none, do not vote).
func (s *site) viewAuth(fn *python.Node) (*attempt, string) {
	def := fn.Parent
	if def == nil || def.Kind != "decorated_definition" {
		return nil, "the route is not a decorated function"
	}
	rule := routeRule(def)
	var same, guarded []*python.Node
	for _, other := range s.file.OfKind("decorated_definition") {
		if other == def || !isRoute(other) {
			continue
		}
		if rule != "" && routeRule(other) == rule {
			same = append(same, other)
		}
		if len(authDecorators(other)) > 0 {
			guarded = append(guarded, other)
		}
	}
	voters := guarded
	if len(same) > 0 {
		voters = same
	}
	seen := map[string]bool{}
	for _, v := range voters {
		ds := authDecorators(v)
		if len(ds) != 1 {
			return nil, "the sibling routes do not share one auth decorator"
		}
		seen[ds[0]] = true
	}
	shared := one(seen)
	if shared == "" {
		return nil, "the sibling routes do not share one auth decorator"
	}
	decs := decorators(def)
	last := decs[len(decs)-1]
	at := lineEnd(s.src(), last.End-1)
	return &attempt{edits: []Edit{{Start: at, End: at, New: indentOf(s.src(), last.Start) + shared + "\n"}},
		what: shared + " added, as on the sibling routes"}, ""
}

// authDecorators returns the texts of a route's decorators other than its
// route registrations.
func authDecorators(def *python.Node) []string {
	var out []string
	for _, d := range decorators(def) {
		if !isRouteDecorator(d) {
			out = append(out, d.Text())
		}
	}
	return out
}

// routeRule returns the URL rule of a route's first route decorator.
func routeRule(def *python.Node) string {
	for _, d := range decorators(def) {
		if !isRouteDecorator(d) {
			continue
		}
		for _, c := range d.NamedChildren() {
			if c.Kind == "call" {
				if a := positional(c); len(a) > 0 {
					v, _ := a[0].StringValue()
					return v
				}
			}
		}
	}
	return ""
}

func decorators(def *python.Node) []*python.Node {
	var out []*python.Node
	for _, c := range def.NamedChildren() {
		if c.Kind == "decorator" {
			out = append(out, c)
		}
	}
	return out
}

func isRoute(def *python.Node) bool {
	for _, d := range decorators(def) {
		if isRouteDecorator(d) {
			return true
		}
	}
	return false
}

// isRouteDecorator reports whether a decorator registers a route
// (@app.route, @bp.get, ...).
func isRouteDecorator(d *python.Node) bool {
	t := strings.TrimPrefix(d.Text(), "@")
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	last := t[strings.LastIndexByte(t, '.')+1:]
	switch last {
	case "route", "get", "post", "put", "patch", "delete":
		return strings.Contains(t, ".")
	}
	return false
}
