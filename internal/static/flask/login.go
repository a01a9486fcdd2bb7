package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Login checks of web apps: the login state read from the user object and
// a redirect of anonymous requests to the login form.

// isLoginState reports whether an attribute reads a user's login state
// (X.is_authenticated, X.authenticated on g.user or current_user).
func isLoginState(n *python.Node) bool {
	d := n.DottedName()
	if !strings.HasSuffix(d, ".is_authenticated") && !strings.HasSuffix(d, ".authenticated") {
		return false
	}
	obj := d[:strings.LastIndexByte(d, '.')]
	return obj == "current_user" || obj == "g.user" || strings.HasSuffix(obj, ".current_user") || obj == "flask.g.user"
}

// redirectsAnonymous reports whether a return sends a redirect inside an
// if whose condition reads the login state: a web app's refusal (to the
// login form) of a request without a login.
func (p *Project) redirectsAnonymous(m *Module, ret *python.Node) bool {
	v := ret.NamedChildren()
	if len(v) == 0 || !p.isRedirect(m, v[0], 0) {
		return false
	}
	for a := ret.Parent; a != nil && a.Kind != "function_definition"; a = a.Parent {
		if a.Kind != "if_statement" {
			continue
		}
		found := false
		a.ChildByField("condition").Walk(func(c *python.Node) bool {
			found = found || c.Kind == "attribute" && isLoginState(c)
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// isRedirect reports whether an expression is a redirect response:
// flask.redirect(...), or a project helper returning one (redirect_to).
func (p *Project) isRedirect(m *Module, e *python.Node, depth int) bool {
	e = e.Unparen()
	if e == nil || e.Kind != "call" || depth > 2 {
		return false
	}
	d := e.ChildByField("function").DottedName()
	if q := m.Qualify(d); q == "flask.redirect" || q == "werkzeug.utils.redirect" {
		return true
	}
	dm, def := p.ResolveFunc(m, d)
	if def == nil {
		return false
	}
	for _, r := range returns(def) {
		if p.isRedirect(dm, r, depth+1) {
			return true
		}
	}
	return false
}

// refusalMethods are framework methods that refuse the request: Flask-Login's
// LoginManager.unauthorized() answers 401 or redirects to the login view.
// Frameworks are data: one row per class.
var refusalMethods = map[string]string{
	"flask_login.LoginManager":               "unauthorized",
	"flask_login.login_manager.LoginManager": "unauthorized",
}

// frameworkRefusal reports a call of a refusal method on an instance of its
// class (login_manager.unauthorized() with login_manager = LoginManager(),
// here or imported), or on the app's login_manager attribute
// (current_app.login_manager.unauthorized()).
func (p *Project) frameworkRefusal(m *Module, call *python.Node) bool {
	fn := call.ChildByField("function")
	if m == nil || fn == nil || fn.Kind != "attribute" {
		return false
	}
	method, recv := fn.ChildByField("attribute").Text(), fn.ChildByField("object")
	if recv.Kind == "attribute" && recv.ChildByField("attribute").Text() == "login_manager" {
		return method == refusalMethods["flask_login.LoginManager"]
	}
	if recv.Kind != "identifier" {
		return false
	}
	// A local of the enclosing functions (a factory's login_manager that
	// its nested hook reads), else a module-level name.
	for fn := call.Ancestor("function_definition"); fn != nil; fn = fn.Ancestor("function_definition") {
		if rhs := LocalAssign(fn, recv.Text(), call.Start); rhs != nil {
			return rhs.Kind == "call" && refusalMethods[m.Qualify(rhs.ChildByField("function").DottedName())] == method
		}
	}
	return refusalMethods[p.instanceClass(m, recv.Text(), 0)] == method
}

// instanceClass is the qualified class a module-level name is made from
// (name = Cls(...)), following from-imports into the project.
func (p *Project) instanceClass(m *Module, name string, depth int) string {
	if m == nil || depth > 3 {
		return ""
	}
	for _, rhs := range m.Assigns[name] {
		if rhs.Kind == "call" {
			return m.Qualify(rhs.ChildByField("function").DottedName())
		}
	}
	if imp, ok := m.Imports[name]; ok && imp.Name != "" {
		return p.instanceClass(p.Module(imp.Module), imp.Name, depth+1)
	}
	return ""
}
