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
					before := len(ps.Findings)
					ps.Report("py.auth-decorator-order", d, finding.Firm, "@"+d.Text()+" sits above the route decorator, so the registered view is not wrapped by it", ep)
					if hasAuth(r) {
						// A hook (or another decorator) still guards the
						// route: a dead decorator, not an open route.
						ps.refute(before, finding.Step{Location: finding.Location{File: r.Auth[0].File, Line: r.Auth[0].Line},
							Note: r.Auth[0].Via + " " + r.Auth[0].Name + " still guards the route"})
					}
				}
			}
		}
		for _, a := range r.Auth {
			if a.Optional && a.Kind == "jwt" && sensitive(r) && !pathHas(r, publicWords) {
				for _, ep := range endpoints(r) {
					msg := "jwt_required(optional=True) lets anonymous requests reach " + ep.String()
					if writes(r) {
						ps.Report("py.jwtx-optional-sensitive", a.Node, finding.Tentative, msg, ep)
					} else {
						// Only the path's words call it administrative.
						ps.reportReview("py.jwtx-optional-sensitive", a.Node, msg+", whose path names it administrative", nil, ep)
					}
				}
			}
		}
		if late || hasAuth(r) || r.DeclaredPublic || pathHas(r, publicWords) || registration(r) {
			continue
		}
		admin := pathHas(r, adminWords)
		authed, others, authedReads := 0, 0, 0
		for _, s := range groups[r.Object] {
			// A sibling that is open by design (declared public, a
			// login, health or registration path) says nothing about
			// whether the rest of the group is meant to be open.
			if s == r || s.Def == r.Def || s.DeclaredPublic || pathHas(s, publicWords) || registration(s) {
				continue
			}
			others++
			if hasAuth(s) {
				authed++
				if reads(s) {
					authedReads++
				}
			}
		}
		if !admin && (authed == 0 || authed*2 < others) {
			continue
		}
		if !admin && !writes(r) && authedReads == 0 {
			// Reads open, writes guarded: a public catalogue that only
			// its editors change is a policy, not a forgotten check.
			continue
		}
		conf, why := finding.Tentative, "its sibling routes require authentication and this one does not"
		// An administrative name is a hint; the evidence is what the
		// handler does without a check: a state change, not guarded
		// inline, in a handler that does not itself authenticate.
		var flow []finding.Step
		if admin {
			if effect := unguardedEffect(ps, r); effect != nil {
				conf, why = finding.Firm, "an administrative route changes state without authentication"
				flow = append(ps.requestHandling(effect), step(effect, "sink", "state change reached without authentication"))
			} else {
				why = "an administrative route has no authentication (review: no unguarded state change was found)"
			}
		}
		// The project's own proxy config keeps the path from outside
		// clients: reachable only from inside, a review item.
		ip, internal := ps.Project.InternalAt(r.Rule)
		for _, ep := range endpoints(r) {
			before := len(ps.Findings)
			ps.ReportFlow("py.route-missing-auth", routeNode(r), conf, ep.String()+": "+why, flow, ep)
			if len(ps.Findings) == before {
				continue
			}
			f := &ps.Findings[len(ps.Findings)-1]
			switch {
			case internal:
				f.Related = append(f.Related, finding.Location{File: ip.File, Line: ip.Line})
				ps.refute(before, finding.Step{Location: finding.Location{File: ip.File, Line: ip.Line},
					Note: ip.File + ":" + itoa(ip.Line) + " serves " + ip.Prefix + " to internal requests only (" + ip.Directive + ")"})
			case flow == nil:
				// Inferred from siblings or the name only: a hint, not a verdict.
				f.Severity = finding.Low
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
	return pathHas(r, adminWords) || writes(r)
}

// writes: the route takes a state-changing method.
// reads: the route answers GET (or HEAD).
func reads(r *flask.Route) bool {
	for _, m := range r.Methods {
		if m == "GET" || m == "HEAD" {
			return true
		}
	}
	return false
}

func writes(r *flask.Route) bool {
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
		if v, known := ps.Project.Eval(c.Arg(-1, "debug")).Truthy(); known && v && !debugGuarded(c.Node) {
			reportRunDebug(ps, c)
		}
	}
	// DEBUG = True turns the debugger on only where the project serves
	// the app with Werkzeug's own server (app.run, run_simple); under
	// another server (gunicorn, CherryPy) it is a review item.
	var werkzeug *python.Node
	noWerkzeug := "nothing in the project starts Werkzeug's server (app.run, run_simple), whose debugger it would enable"
	for _, c := range ps.Calls {
		// Werkzeug serves one of the project's apps: app.run() on it, or
		// run_simple(host, port, app) given an application (an app, a
		// dispatcher of apps). run_simple(..., self) is a framework's own
		// run method (Flask.run vendored under libs/): it serves whatever
		// calls it, and that call is judged where it is made.
		if strings.HasSuffix(c.Q, "run_simple") && c.Arg(2, "application") != nil && c.Arg(2, "application").Text() != "self" ||
			strings.HasSuffix(c.Q, ".run") && ps.Project.ObjectAt(c.Node.ChildByField("function").ChildByField("object")) != nil {
			if why := ps.runIgnoresConfig(c); why != "" {
				noWerkzeug = why
				continue
			}
			werkzeug = c.Node
			break
		}
	}
	for _, e := range ps.Project.Config["DEBUG"] {
		if v, known := ps.Project.Eval(e.Value).Truthy(); known && v && !devConfig(e.Stmt) {
			before := len(ps.Findings)
			var flow []finding.Step
			if werkzeug != nil {
				flow = []finding.Step{step(e.Stmt, "source", "DEBUG set to a true value"),
					step(werkzeug, "sink", "the app is served by Werkzeug's server ("+strings.TrimSpace(werkzeug.ChildByField("function").Text())+"), whose debugger DEBUG turns on")}
			}
			ps.ReportFlow("py.flask-debug", e.Stmt, finding.Tentative, "DEBUG = True enables the Werkzeug debugger", flow, nil)
			if len(ps.Findings) == before {
				continue
			}
			switch {
			case werkzeug == nil:
				ps.refute(before, step(e.Stmt, "", noWerkzeug))
			case conditionalOn(e.Stmt) != nil:
				// if args.dev: DEBUG = True — on only when that holds.
				c := conditionalOn(e.Stmt)
				ps.refute(before, step(c, "", "set only under a condition (if "+strings.TrimSpace(c.Text())+")"))
			}
			ps.demoteUnloaded(before, e.Stmt, "DEBUG")
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
	if strings.Contains(name, "dev") || strings.Contains(name, "test") || strings.Contains(name, "local") {
		return true
	}
	// Recognised by what it does, whatever its name: a class that turns
	// Flask's TESTING on configures the test suite.
	testing := false
	for _, st := range cls.ChildByField("body").NamedChildren() {
		for _, a := range st.NamedChildren() {
			if a.Kind == "assignment" && a.ChildByField("left").Text() == "TESTING" {
				if v, ok := a.ChildByField("right").BoolValue(); ok && v {
					testing = true
				}
			}
		}
	}
	return testing
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

// stateChanges are calls that write: the database, files, processes.
var stateChanges = map[string]bool{"commit": true, "save": true, "delete": true, "add": true, "insert": true, "insert_one": true,
	"update": true, "update_one": true, "delete_one": true, "remove": true, "execute": true, "create_user": true, "set_password": true,
	"drop": true, "system": true, "run": true, "Popen": true, "call": true, "check_output": true, "rmtree": true, "unlink": true}

// authenticates: calls that make the handler itself a login (it checks a
// password or logs a user in).
var authenticates = map[string]bool{"check_password_hash": true, "check_password": true, "login_user": true, "verify_password": true,
	"authenticate": true, "checkpw": true, "verify": true}

// unguardedEffect returns the first state-changing call of the route's
// handler, or nil when there is none, when the handler authenticates
// itself (a login form), or when an early exit guards it.
func unguardedEffect(ps *Pass, r *flask.Route) *python.Node {
	def := r.Def
	if def == nil {
		return nil
	}
	var effect *python.Node
	guarded, login := false, false
	def.ChildByField("body").Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "function_definition":
			return false
		case "if_statement":
			if effect == nil && exitsEarly(x.ChildByField("consequence")) {
				guarded = true
			}
		case "call":
			fn := x.ChildByField("function")
			name := fn.Text()
			if fn.Kind == "attribute" {
				name = fn.ChildByField("attribute").Text()
			}
			if authenticates[name] {
				login = true
			}
			if effect == nil && stateChanges[name] && !strings.HasPrefix(fn.Text(), "request") {
				effect = x
			}
		}
		return true
	})
	if guarded || login {
		return nil
	}
	return effect
}

// exitsEarly: the block returns, aborts or raises.
func exitsEarly(b *python.Node) bool {
	if b == nil {
		return false
	}
	out := false
	b.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "return_statement", "raise_statement":
			out = true
		case "call":
			if t := x.ChildByField("function").Text(); t == "abort" || t == "flask.abort" {
				out = true
			}
		}
		return !out
	})
	return out
}

// debugGuarded: the call runs only when a debug setting is on
// (if settings.debug: app.run(debug=True)).
func debugGuarded(n *python.Node) bool {
	for st := n.Ancestor("if_statement"); st != nil; st = st.Ancestor("if_statement") {
		if c := st.ChildByField("condition"); c != nil && strings.Contains(strings.ToLower(c.Text()), "debug") && st.ChildByField("consequence").Contains(n) {
			return true
		}
	}
	return false
}

// startedBy is the entry of start-up code: run as a script (under
// if __name__ == "__main__"), a function, or the module at import.
func startedBy(n *python.Node) finding.Step {
	for a := n.Parent; a != nil; a = a.Parent {
		switch a.Kind {
		case "if_statement":
			if strings.Contains(a.ChildByField("condition").Text(), "__name__") {
				return step(a, "entry", "run as a script (__main__)")
			}
		case "function_definition":
			return step(a, "entry", "started by "+a.ChildByField("name").Text())
		}
	}
	return step(n, "entry", "module-level code: runs at import")
}

// conditionalOn is the condition of the innermost if (inside the same
// function or module body) one of whose arms holds the statement, or nil
// when it runs unconditionally.
func conditionalOn(n *python.Node) *python.Node {
	for a := n.Parent; a != nil && a.Kind != "function_definition" && a.Kind != "class_definition"; a = a.Parent {
		// Any arm of an if, but not the script guard: under
		// if __name__ == "__main__" the setting is on when the app runs.
		if a.Kind == "if_statement" && !strings.Contains(a.ChildByField("condition").Text(), "__name__") {
			return a.ChildByField("condition")
		}
	}
	return nil
}
