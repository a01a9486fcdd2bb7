package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// adminWords are the one list of admin words the live checks read too.
var adminWords = inventory.AdminWords

// publicWords are the shared public names (inventory.PublicNames) and the
// further words the static rules also take as public.
var publicWords = append(append([]string(nil), inventory.PublicNames...),
	"sign_in", "sign_up", "ready", "live", "openapi", "spec", "public", "static", "callback", "oauth", "reset", "forgot", "verify", "jwks", ".well-known", "index", "home", "about", "metrics", "well", "openid", "configuration", "config", "certs")

func pathHas(r *flask.Route, words []string) bool {
	parts := strings.FieldsFunc(strings.ToLower(r.Rule+"/"+r.Handler+"/"+r.Endpoint), func(c rune) bool {
		return c == '/' || c == '.' || c == '_' || c == '-'
	})
	for _, p := range parts {
		for _, w := range words {
			if p == w || strings.TrimSuffix(p, "s") == w {
				return true
			}
		}
	}
	return false
}

func routeNode(r *flask.Route) *python.Node {
	if r.Class != nil || r.Decl == nil {
		return r.Def
	}
	if r.Decl.Parent != nil && r.Decl.Parent.Kind == "decorator" {
		return r.Decl
	}
	return r.Decl
}

func endpoints(r *flask.Route) []*finding.Endpoint {
	var out []*finding.Endpoint
	for _, m := range r.Methods {
		out = append(out, &finding.Endpoint{Method: m, Path: r.Path})
	}
	return out
}

func hasAuth(r *flask.Route) bool { return len(r.Auth) > 0 }

func runRoutes(ps *Pass) {
	p := ps.Project
	groups := map[*flask.Object][]*flask.Route{}
	for _, r := range p.Routes {
		groups[r.Object] = append(groups[r.Object], r)
	}
	for _, r := range p.Routes {
		late := false
		for _, d := range r.LateDecorators {
			if looksAuth(d) {
				late = true
				for _, ep := range endpoints(r) {
					ps.Report("py.auth-decorator-order", d, finding.Firm, "@"+d.Text()+" sits above the route decorator, so the registered view is not wrapped by it", ep)
				}
			}
		}
		for _, a := range r.Auth {
			if a.Optional && a.Kind == "jwt" && sensitive(r) && !pathHas(r, publicWords) {
				for _, ep := range endpoints(r) {
					ps.Report("py.jwtx-optional-sensitive", a.Node, finding.Tentative, "jwt_required(optional=True) lets anonymous requests reach "+ep.String(), ep)
				}
			}
		}
		if late || hasAuth(r) || r.DeclaredPublic || pathHas(r, publicWords) || registration(r) {
			continue
		}
		admin := pathHas(r, adminWords)
		authed, others := 0, 0
		for _, s := range groups[r.Object] {
			if s == r || s.Def == r.Def {
				continue
			}
			others++
			if hasAuth(s) {
				authed++
			}
		}
		if !admin && (authed == 0 || authed*2 < others) {
			continue
		}
		conf, why := finding.Tentative, "its sibling routes require authentication and this one does not"
		if admin {
			conf, why = finding.Firm, "an administrative route has no authentication"
		}
		for _, ep := range endpoints(r) {
			before := len(ps.Findings)
			ps.Report("py.route-missing-auth", routeNode(r), conf, ep.String()+": "+why, ep)
			if !admin && len(ps.Findings) > before {
				// Inferred from siblings only: a hint, not a verdict.
				ps.Findings[len(ps.Findings)-1].Severity = finding.Low
			}
		}
	}
}

func looksAuth(d *python.Node) bool {
	n := d
	if d.Kind == "call" {
		n = d.ChildByField("function")
	}
	l := strings.ToLower(n.Text())
	for _, w := range []string{"auth", "login_required", "jwt_required", "token", "require", "api_key", "apikey"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func sensitive(r *flask.Route) bool {
	if pathHas(r, adminWords) {
		return true
	}
	for _, m := range r.Methods {
		switch m {
		case "POST", "PUT", "PATCH", "DELETE":
			return true
		}
	}
	return false
}

func runDebug(ps *Pass) {
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		if fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "run" {
			continue
		}
		o := ps.Project.ObjectAt(fn.ChildByField("object"))
		if o == nil && !strings.Contains(c.Q, "socketio") {
			continue
		}
		if v, known := ps.Project.Eval(c.Arg(-1, "debug")).Truthy(); known && v {
			ps.Report("py.flask-debug", c.Node, finding.Firm, "the Werkzeug debugger runs code for anyone who can reach it", nil)
		}
	}
	for _, e := range ps.Project.Config["DEBUG"] {
		if v, known := ps.Project.Eval(e.Value).Truthy(); known && v && !devConfig(e.Stmt) {
			ps.Report("py.flask-debug", e.Stmt, finding.Tentative, "DEBUG = True enables the Werkzeug debugger", nil)
		}
	}
}

// devConfig: DEBUG = True inside a DevelopmentConfig / TestConfig class is
// the development setting, not the deployed one.
func devConfig(stmt *python.Node) bool {
	cls := stmt.Ancestor("class_definition")
	if cls == nil {
		return false
	}
	name := strings.ToLower(cls.ChildByField("name").Text())
	return strings.Contains(name, "dev") || strings.Contains(name, "test") || strings.Contains(name, "local")
}

// registration: POST to a users or accounts collection creates an
// account, which anonymous callers must be able to do.
func registration(r *flask.Route) bool {
	if len(r.Methods) != 1 || r.Methods[0] != "POST" {
		return false
	}
	last := strings.ToLower(strings.TrimRight(r.Rule, "/"))
	last = last[strings.LastIndex(last, "/")+1:]
	return last == "users" || last == "accounts" || last == "account" || last == "user"
}
