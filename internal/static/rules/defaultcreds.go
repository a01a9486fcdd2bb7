package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// passwordSinks take a password as their first argument.
var passwordSinks = map[string]bool{"generate_password_hash": true, "set_password": true, "hash_password": true,
	"make_password": true, "hashpw": true, "encrypt_password": true}

// runDefaultCreds reports an account created while the app starts with a
// password written in the code: a root/root super-user made when no
// password is configured. Evidence: the literal (source), the account it
// becomes (sink: the user constructor or the password hash), and the
// start-up path that runs it (an app factory, module-level app code, a
// before_first_request hook).
func runDefaultCreds(ps *Pass) {
	for _, c := range ps.Calls {
		fn := c.Node.ChildByField("function")
		name := fn.Text()
		if fn.Kind == "attribute" {
			name = fn.ChildByField("attribute").Text()
		}
		var pw *python.Node
		switch {
		case passwordSinks[name]:
			pw = c.Arg(0, "password")
		default:
			pw = c.Arg(-1, "password")
			if pw == nil {
				pw = ps.passwordParam(c)
			}
			if pw == nil || !accountCall(name) {
				continue
			}
		}
		lit, src, fallback := ps.defaultPassword(pw, 0)
		// A default is a literal standing in for a configured password,
		// or a literal given to an account being created; a module's
		// table of password hashes is neither.
		if src == nil || !fallback && !accountCall(name) {
			continue
		}
		entry := ps.startup(c.Node)
		if entry == nil {
			continue
		}
		// The literal itself is a credential: its length only.
		what := "a password written in the code (" + itoa(len(lit)) + " characters)"
		flow := []finding.Step{*entry, step(src, "source", "hardcoded password"), step(c.Node, "sink", "an account is created or given this password at start-up")}
		ps.ReportFlow("py.default-credentials", c.Node, finding.Firm, "an account gets "+what+" when the app starts: anyone who reads the code can log in", flow, nil)
	}
}

// accountCall: a call that makes or updates an account (User(...),
// create_user, add_user, Admin(...)).
func accountCall(name string) bool {
	for _, w := range nameWords(name) {
		switch w {
		case "user", "users", "admin", "account", "superuser", "member", "operator", "root":
			return true
		}
	}
	return false
}

// defaultPassword returns the literal a password expression holds or
// falls back to (an environment or config default, "x or 'root'"), its
// node, and whether it is a fallback; nil when the password is not
// written in the code.
func (ps *Pass) defaultPassword(n *python.Node, depth int) (string, *python.Node, bool) {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return "", nil, false
	}
	if v := ps.Project.Eval(n); v.Kind == flask.Str || v.Kind == flask.Env {
		if s, node, ok := literalOf(v); ok && s != "" && node != nil {
			return s, node, v.Kind == flask.Env
		}
	}
	switch n.Kind {
	case "boolean_operator":
		s, node, _ := ps.defaultPassword(n.ChildByField("right"), depth+1)
		return s, node, node != nil
	case "call":
		fn := n.ChildByField("function")
		if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
			if d := positional(n, 1); d != nil {
				s, node, _ := ps.defaultPassword(d, depth+1)
				return s, node, node != nil
			}
		}
		if passwordSinks[fn.Text()] || fn.Kind == "attribute" && passwordSinks[fn.ChildByField("attribute").Text()] {
			return ps.defaultPassword(positional(n, 0), depth+1)
		}
		// A hash or an encoding of the literal is still that password:
		// hashlib.sha256(pw.encode()).hexdigest().
		if fn.Kind == "attribute" {
			switch fn.ChildByField("attribute").Text() {
			case "encode", "decode", "strip", "hexdigest", "digest":
				return ps.defaultPassword(fn.ChildByField("object"), depth+1)
			}
		}
		if m := ps.Project.ModuleOf(n); m != nil && strings.HasPrefix(m.Qualify(fn.DottedName()), "hashlib.") {
			return ps.defaultPassword(positional(n, 0), depth+1)
		}
	case "identifier":
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return ps.defaultPassword(rhs, depth+1)
			}
		}
	}
	return "", nil, false
}

// startup returns the start-up path that runs n: module-level code of a
// module that builds an app, an app factory (a function that creates a
// Flask app) or a function it calls, a before_first_request hook. nil for
// request handlers, CLI commands and code nothing at start-up reaches.
func (ps *Pass) startup(n *python.Node) *finding.Step {
	if ps.requestHandling(n) != nil {
		return nil
	}
	def := n.Ancestor("function_definition")
	if def == nil {
		if m := ps.Project.ModuleOf(n); m != nil && buildsApp(m.File.Root) {
			s := step(n, "entry", "module-level code of the app module: runs at import")
			return &s
		}
		return nil
	}
	for _, d := range flask.Decorators(def) {
		t := d.Text()
		if strings.Contains(t, "before_first_request") || strings.Contains(t, "before_app_first_request") {
			s := step(def, "entry", "before_first_request hook")
			return &s
		}
		if strings.Contains(t, "command") || strings.Contains(t, "cli") {
			return nil // an operator runs it on purpose
		}
	}
	// An app factory, or a function an app factory calls (one level).
	if buildsApp(def) {
		s := step(def, "entry", "app factory "+def.ChildByField("name").Text())
		return &s
	}
	for _, cs := range ps.callSites(def) {
		if outer := cs.Call.Ancestor("function_definition"); outer != nil && buildsApp(outer) {
			s := step(cs.Call, "entry", "called by the app factory "+outer.ChildByField("name").Text())
			return &s
		} else if outer == nil {
			if m := ps.Project.ModuleOf(cs.Call); m != nil && buildsApp(m.File.Root) {
				s := step(cs.Call, "entry", "called at import by the app module")
				return &s
			}
		}
	}
	return nil
}

// buildsApp: the code creates a Flask app (Flask(__name__), an
// APIFlask, a connexion App) outside nested functions.
func buildsApp(scope *python.Node) bool {
	found := false
	scope.Walk(func(x *python.Node) bool {
		if found {
			return false
		}
		if x.Kind == "function_definition" && x != scope && scope.Kind == "module" {
			return false
		}
		if x.Kind == "call" {
			switch t := x.ChildByField("function").Text(); {
			case t == "Flask" || t == "flask.Flask" || t == "APIFlask" || strings.HasSuffix(t, "connexion.App") || strings.HasSuffix(t, "FlaskApp"):
				found = true
			}
		}
		return !found
	})
	return found
}

// passwordParam binds a positional argument of an account constructor to
// its password parameter: Account("root", pw) where the project's
// Account.__init__(self, name, password) takes it second.
func (ps *Pass) passwordParam(c Call) *python.Node {
	fn := c.Node.ChildByField("function")
	_, cls := ps.Project.ResolveClass(c.Module, fn.DottedName())
	if cls == nil {
		return nil
	}
	for _, def := range cls.File.OfKind("function_definition") {
		if !cls.Contains(def) || def.Ancestor("class_definition") != cls || def.ChildByField("name").Text() != "__init__" {
			continue
		}
		params := flask.Params(def)
		if len(params) > 0 && params[0] == "self" {
			params = params[1:]
		}
		for i, p := range params {
			switch headWord(p) {
			case "password", "passwd", "pw", "pwd":
				return c.Arg(i, p)
			}
		}
	}
	return nil
}
