package rules

// Does anything use the Flask secret key? SECRET_KEY signs what Flask and
// its extensions keep on the client (the session cookie, flashed
// messages, Flask-Login's remember cookie, Flask-WTF's CSRF tokens,
// itsdangerous serializers built from it). A key that no code of the app's
// tree reads and that no request can reach through the session signs
// nothing: a batch job's app with no routes, an internal JSON service that
// never touches the session. Such a literal is a review item, not a
// weakness of the deployed app. Anything unknown keeps the finding: an
// extension the table does not know is taken to sign with the key.

import (
	"bytes"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// sessionNames are flask's names that read or write the signed session:
// true for the session itself, false for flashed messages, which put
// only a message in it (a forged cookie shows a message, it logs no one
// in): not evidence that the key protects anything.
var sessionNames = map[string]bool{"session": true, "flash": false, "get_flashed_messages": false}

// noSecretExt are Flask extensions known not to sign anything with
// SECRET_KEY; any other flask_* import (or a signing library) is taken as
// a user of the key.
var noSecretExt = map[string]bool{
	"flask_sqlalchemy": true, "flask_migrate": true, "flask_cors": true, "flask_restful": true,
	"flask_restx": true, "flask_restplus": true, "flask_marshmallow": true, "flask_caching": true,
	"flask_limiter": true, "flask_mail": true, "flask_compress": true, "flask_babel": true,
	"flask_babelex": true, "flask_apispec": true, "flask_smorest": true, "flask_script": true,
	"flask_executor": true, "flask_opentracing": true, "flask_log_request_id": true,
	"flask_healthz": true, "flask_redis": true, "flask_pymongo": true, "flask_mongoengine": true,
	"flask_swagger_ui": true, "flask_swagger": true, "flask_testing": true, "flask_assets": true,
	"flask_moment": true, "flask_bootstrap": true, "flask_uploads": true, "flask_injector": true,
	// Flask-SocketIO keeps Flask's own session for the socket: a user of
	// the key only when the app uses the session, which is judged as such.
	"flask_socketio": true,
	// flask_jwt_oidc verifies an identity provider's tokens with its JWKS.
	"flask_jwt_oidc": true,
	// Flask-Login keeps the user in the session unless its only loader is
	// a request_loader (loginKeepsNothing).
	"flask_login": true,
}

// signingLibs sign with the app's key when given it, or keep state in the
// session (authlib's Flask client); a signer given the key by project code
// reads it, which readsSecretKey sees.
var signingLibs = map[string]bool{"itsdangerous": true, "authlib": true}

// signingExt are Flask extensions known to keep what protects the app in
// state the key signs (a login, a CSRF token, an OAuth state, a server-side
// session's signed id) or to sign tokens with it, each with the project
// name it needs ("" when importing it is enough): Flask-Admin signs only
// through its SecureForm's CSRF token. An extension in neither table is no
// evidence of a use: the key is then judged by the rest of the tree.
var signingExt = map[string]string{
	"flask_wtf": "", "flask_security": "", "flask_user": "", "flask_session": "", "flask_kvsession": "",
	"flask_dance": "", "flask_oauthlib": "", "flask_oauth": "", "flask_openid": "", "flask_oidc": "",
	"flask_pyoidc": "", "flask_principal": "", "flask_appbuilder": "", "flask_seasurf": "", "flask_jwt": "",
	"flask_jwt_extended": "", "flask_praetorian": "", "flask_simplelogin": "", "flask_multipass": "",
	"flask_cas": "", "flask_saml": "", "flask_saml2": "", "flask_github": "", "flask_social": "",
	"flask_ldap3_login": "", "flask_paranoid": "", "flask_csrf": "", "flask_csrf_protect": "",
	"flask_admin": "SecureForm",
}

// secretKeyUse says what in the app's tree uses the secret key set in
// module m (use, for the finding's path), or why nothing does (why), or
// neither when it cannot tell.
func (ps *Pass) secretKeyUse(m *flask.Module) (use *finding.Step, why string) {
	p := ps.Project
	if m == nil {
		return nil, ""
	}
	trees := map[string]bool{p.RootOf(m): true}
	base := strings.TrimSuffix(strings.TrimSuffix(path.Base(m.File.Path), ".py"), "/__init__")
	for _, o := range p.Modules {
		for _, imp := range o.Imports {
			for _, name := range []string{imp.Module, imp.Module + "." + imp.Name} {
				if mm := p.Module(name); mm == m {
					trees[p.RootOf(o)] = true
				} else if name == base && ps.nearModule(o, name) == m {
					// a script-style "from config import Config" in a
					// monorepo of several config.py: the nearest one
					trees[p.RootOf(o)] = true
				}
			}
		}
	}
	byFile := map[string]*flask.Module{}
	for _, o := range p.Modules {
		byFile[o.File.Path] = o
	}
	// Routes the model placed, and route-like declarations it saw but did
	// not resolve (a route it cannot place still serves requests).
	routes := 0
	for _, r := range p.Routes {
		if mm := byFile[r.File]; mm != nil && trees[p.RootOf(mm)] {
			routes++
		}
	}
	for _, d := range p.Decls() {
		if mm := byFile[d.File]; mm != nil && trees[p.RootOf(mm)] {
			routes++
		}
	}
	app := routes > 0
	unknown := map[string]bool{} // extensions not known either way
	for _, o := range p.Modules {
		if !trees[p.RootOf(o)] {
			continue
		}
		if at := ps.readsSecretKey(o); at != nil {
			st := step(at, "step", "the key is read here")
			return &st, ""
		}
		if routes > 0 {
			for _, st := range o.Stars {
				if st == "flask" { // from flask import *: session among the names
					return importStep(o, flask.Import{Module: "flask"}, "the app's tree uses Flask's signed session"), ""
				}
			}
		}
		for _, name := range slices.Sorted(maps.Keys(o.Imports)) { // one order every run
			imp := o.Imports[name]
			top, _, _ := strings.Cut(imp.Module, ".")
			switch {
			case imp.Module == "flask" && imp.Name == "Flask":
				app = true
			case routes == 0:
			case imp.Module == "flask" && imp.Name == "":
				// import flask: a use of flask.session (or flash) that follows
				for sn, real := range sessionNames {
					if !real {
						continue
					}
					if bytes.Contains(o.File.Src, []byte(name+"."+sn)) {
						return importStep(o, imp, "the app's tree uses Flask's signed session ("+name+"."+sn+")"), ""
					}
				}
			case imp.Module == "flask" && imp.Name == "flash":
				unknown["flash (messages only)"] = true
			case imp.Module == "flask" && sessionNames[imp.Name]:
				// the session itself
				return importStep(o, imp, "the app's tree uses Flask's signed session"), ""
			case top == "flask_login":
				if !ps.loginKeepsNothing(trees) {
					return importStep(o, imp, "the app's tree uses flask_login, which keeps the user in the session the key signs"), ""
				}
			case signingLibs[top]:
				return importStep(o, imp, "the app's tree uses "+top+", which signs with the key"), ""
			case strings.HasPrefix(top, "flask_") && !noSecretExt[top]:
				need, known := signingExt[top]
				switch {
				case !known:
					unknown[top] = true
				case need == "":
					return importStep(o, imp, "the app's tree uses "+top+", which keeps state the key signs"), ""
				case ps.treeNames(trees, need):
					return importStep(o, imp, "the app's tree uses "+top+"'s "+need+", which keeps a token the key signs"), ""
				default:
					unknown[top+" (no "+need+")"] = true
				}
			}
		}
	}
	if !app {
		return nil, "" // no app known in the tree: who loads the key is unknown
	}
	if len(unknown) > 0 {
		return nil, "nothing in the app's tree is seen to use it: no route uses the session, no code reads the key, and " +
			strings.Join(slices.Sorted(maps.Keys(unknown)), ", ") + " keep nothing known that the key protects"
	}
	if routes == 0 {
		return nil, "the app that loads it serves no route and no code reads the key"
	}
	return nil, "no route uses the session, no extension or signer of the app's tree takes the key, and no code reads it"
}

// importStep is a path step at the import of imp in module o (its first
// line when the statement is not found).
func importStep(o *flask.Module, imp flask.Import, note string) *finding.Step {
	for _, kind := range []string{"import_from_statement", "import_statement"} {
		for _, n := range o.File.OfKind(kind) {
			if strings.Contains(n.Text(), imp.Module) && (imp.Name == "" || strings.Contains(n.Text(), imp.Name)) {
				st := step(n, "step", note)
				return &st
			}
		}
	}
	st := step(o.File.Root, "step", note)
	return &st
}

// readsSecretKey: where module m reads the secret key itself
// (config["SECRET_KEY"], config.get("SECRET_KEY"), app.secret_key,
// settings.SECRET_KEY), not the environment variable of that name; nil
// when it does not.
func (ps *Pass) readsSecretKey(m *flask.Module) *python.Node {
	if r, ok := ps.keyRead[m]; ok {
		return r
	}
	if ps.keyRead == nil {
		ps.keyRead = map[*flask.Module]*python.Node{}
	}
	var read *python.Node
	src := m.File.Src
	if bytes.Contains(src, []byte("SECRET_KEY")) || bytes.Contains(src, []byte("secret_key")) {
		m.File.Root.Walk(func(n *python.Node) bool {
			if read != nil {
				return false
			}
			switch n.Kind {
			case "string":
				if v, ok := n.StringValue(); ok && v == "SECRET_KEY" && configRead(n) {
					read = n
				}
				return false
			case "attribute":
				if name := n.ChildByField("attribute"); name != nil && (name.Text() == "SECRET_KEY" || name.Text() == "secret_key") && !assignedTo(n) {
					read = n
				}
			case "identifier":
				// from settings import SECRET_KEY, then used
				if n.Text() == "SECRET_KEY" && n.Parent != nil && n.Parent.Kind != "attribute" && m.Imports["SECRET_KEY"].Module != "" &&
					!assignedTo(n) && !importName(n) {
					read = n
				}
			case "import_from_statement", "import_statement":
				return false
			}
			return true
		})
	}
	ps.keyRead[m] = read
	return read
}

// configRead: the string is the key of a read (x["K"] or x.get("K"),
// getattr(x, "K")) other than the environment's.
func configRead(s *python.Node) bool {
	par := s.Parent
	if par == nil {
		return false
	}
	switch par.Kind {
	case "subscript":
		return !assignedTo(par) && !strings.Contains(par.ChildByField("value").Text(), "environ")
	case "argument_list":
		call := par.Parent
		if call == nil || call.Kind != "call" {
			return false
		}
		fn := call.ChildByField("function").Text()
		if strings.Contains(fn, "environ") || strings.HasSuffix(fn, "getenv") || strings.HasSuffix(fn, "setdefault") {
			return false
		}
		return strings.HasSuffix(fn, ".get") || fn == "getattr"
	}
	return false
}

// assignedTo: n is the target of an assignment (its left side).
func assignedTo(n *python.Node) bool {
	for c, par := n, n.Parent; par != nil; c, par = par, par.Parent {
		switch par.Kind {
		case "assignment", "augmented_assignment":
			return par.ChildByField("left") == c
		case "pattern_list", "tuple_pattern", "list_pattern":
			continue
		default:
			return false
		}
	}
	return false
}

// importName: n is a name inside an import statement.
func importName(n *python.Node) bool {
	for par := n.Parent; par != nil; par = par.Parent {
		if par.Kind == "import_from_statement" || par.Kind == "import_statement" {
			return true
		}
	}
	return false
}

// demoteUnused judges the finding just reported (if any) on a secret key
// set in module m by what uses the key: the use joins its path, before
// the sink; when nothing in the app's tree uses the key it is a review
// item.
func (ps *Pass) demoteUnused(before int, m *flask.Module) {
	if len(ps.Findings) == before || ps.Findings[len(ps.Findings)-1].Severity.Rank() <= finding.Low.Rank() {
		return
	}
	f := &ps.Findings[len(ps.Findings)-1]
	use, why := ps.secretKeyUse(m)
	if use != nil && len(f.Flow) > 0 && f.Flow[len(f.Flow)-1].Role == "sink" {
		sink := f.Flow[len(f.Flow)-1]
		f.Flow = append(append(f.Flow[:len(f.Flow)-1:len(f.Flow)-1], *use), sink)
	}
	if why == "" {
		return
	}
	ps.refute(before, finding.Step{Location: *f.Location, Note: "it signs nothing: " + why})
}

// loginKeepsNothing: the trees give Flask-Login only a request_loader
// (identity from each request's own credential) and neither a
// user_loader, which reads the user id from the signed session, nor a
// login_user call, which writes it there and sets the remember cookie.
// Without any loader seen, the login set-up is not known: it counts.
func (ps *Pass) loginKeepsNothing(trees map[string]bool) bool {
	request := false
	for _, o := range ps.Project.Modules {
		if !trees[ps.Project.RootOf(o)] {
			continue
		}
		src := o.File.Src
		if bytes.Contains(src, []byte("user_loader")) || bytes.Contains(src, []byte("login_user(")) {
			return false
		}
		request = request || bytes.Contains(src, []byte("request_loader"))
	}
	return request
}

// treeNames: a module of the trees imports name (from flask_admin.form
// import SecureForm) or uses it as an attribute (form.SecureForm).
func (ps *Pass) treeNames(trees map[string]bool, name string) bool {
	for _, o := range ps.Project.Modules {
		if !trees[ps.Project.RootOf(o)] {
			continue
		}
		for _, imp := range o.Imports {
			if imp.Name == name {
				return true
			}
		}
		if bytes.Contains(o.File.Src, []byte("."+name)) {
			return true
		}
	}
	return false
}
