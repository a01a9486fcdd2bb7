package source

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Credential is a user name and password written together in the code:
// an account made with literals (User(1, "testuser", "password", 1),
// create_user(username="admin", password="admin")), a record of a user
// table ({"username": "demo", "password": "demo"}, {"JOHN": {"password":
// "1234"}}), or a login that compares the request's values with literals
// (username == "admin" and password == "secret"). It is a candidate: the
// scan tries it once at the login and proves or drops it.
type Credential struct {
	User, Password string
	// Where is file:line of the literal password (File and Line apart);
	// How says which shape.
	Where, How string
	File       string
	Line       int
	// Compared: a login compares the request's values with the literals
	// (a credential built into the check itself, not a stored account).
	Compared bool
}

// Credentials lists the literal user name and password pairs the code
// writes, each pair once, in source order.
func Credentials(proj *flask.Project) []Credential {
	if proj == nil {
		return nil
	}
	var out []Credential
	seen := map[string]bool{}
	seenAnd := map[*python.Node]bool{}
	add := func(user, pw string, at *python.Node, how string) {
		if user == "" || pw == "" || len(user) > 64 || len(pw) > 128 || seen[user+"\x00"+pw] {
			return
		}
		seen[user+"\x00"+pw] = true
		out = append(out, Credential{User: user, Password: pw, Where: fmt.Sprintf("%s:%d", at.File.Path, at.Line), How: how,
			File: at.File.Path, Line: at.Line,
			Compared: how == howCompared})
	}
	for _, m := range proj.Modules {
		if m.File == nil || testFile(m.File.Path) {
			continue
		}
		m.File.Visit(func(n *python.Node) {
			switch n.Kind {
			case "call":
				if u, pw, at := callCredential(proj, m, n); at != nil {
					add(u, pw, at, "an account made with literals")
				}
			case "dictionary":
				if answered(n) {
					return
				}
				for _, c := range dictCredentials(n) {
					add(c.User, c.Password, c.at, "a user record written in the code")
				}
			case "comparison_operator":
				// The outermost condition (and, or, not) holding the
				// comparison, once.
				top := n
				for p := n.Parent; p != nil && (isAnd(p) || isOr(p) || p.Kind == "not_operator" || p.Kind == "parenthesized_expression"); p = p.Parent {
					top = p
				}
				if seenAnd[top] {
					return
				}
				seenAnd[top] = true
				if u, pw, at := comparedCredential(top); at != nil {
					add(u, pw, at, howCompared)
				}
			}
		}, "call", "dictionary", "comparison_operator")
	}
	return out
}

const howCompared = "a login comparing the request with literals"

// answered: a dict the code answers or raises with (jsonify(errors={...}),
// return {...}, abort(400, {...})) describes a request, not an account.
func answered(n *python.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		switch p.Kind {
		case "return_statement", "raise_statement":
			return true
		case "call":
			switch normName(p.ChildByField("function").Text()) {
			case "jsonify", "makeresponse", "abort", "response", "jsonresponse", "httpexception":
				return true
			}
		case "function_definition", "class_definition", "module", "assignment", "expression_statement":
			return false
		}
	}
	return false
}

// testFile: a test module (its fixtures are not the app's accounts).
func testFile(path string) bool {
	p := strings.ToLower(path)
	base := p[strings.LastIndex(p, "/")+1:]
	return strings.HasPrefix(base, "test_") || strings.HasSuffix(base, "_test.py") || strings.HasPrefix(base, "conftest") ||
		strings.Contains(p, "/tests/") || strings.HasPrefix(p, "tests/")
}

// userField and passwordField: the names a user name and a password take
// (hints choosing where to look; the login decides).
func userField(name string) bool {
	switch normName(name) {
	case "username", "user", "login", "email", "name", "uname", "userid", "loginname", "usr":
		return true
	}
	return false
}

func passwordField(name string) bool {
	switch normName(name) {
	case "password", "passwd", "pw", "pwd", "pass", "passwort", "plainpassword", "rawpassword":
		return true
	}
	return false
}

func normName(s string) string {
	s = s[strings.LastIndex(s, ".")+1:]
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// callCredential: a call given a literal user name and a literal password,
// by keyword or by position against the parameters of the project's class
// or function it calls (an __init__, a dataclass's fields).
func callCredential(proj *flask.Project, m *flask.Module, call *python.Node) (string, string, *python.Node) {
	args := call.ChildByField("arguments")
	if args == nil {
		return "", "", nil
	}
	var user, pw string
	var at *python.Node
	var positional []*python.Node
	for _, a := range args.NamedChildren() {
		if a.Kind != "keyword_argument" {
			positional = append(positional, a)
			continue
		}
		v, ok := a.ChildByField("value").StringValue()
		if !ok {
			continue
		}
		switch k := a.ChildByField("name").Text(); {
		case passwordField(k):
			pw, at = v, a
		case userField(k):
			user = v
		}
	}
	if len(positional) > 0 && (user == "" || pw == "") {
		params := calleeParams(proj, m, call.ChildByField("function"))
		for i, a := range positional {
			if i >= len(params) {
				break
			}
			v, ok := a.StringValue()
			if !ok {
				continue
			}
			switch {
			case passwordField(params[i]) && pw == "":
				pw, at = v, a
			case userField(params[i]) && user == "":
				user = v
			}
		}
	}
	if user == "" || pw == "" {
		return "", "", nil
	}
	return user, pw, at
}

// calleeParams are the parameter names of the project's class (its
// __init__ without self, else its annotated fields: a dataclass) or
// function a call names.
func calleeParams(proj *flask.Project, m *flask.Module, fn *python.Node) []string {
	if fn == nil {
		return nil
	}
	if _, cls := proj.ResolveClass(m, fn.DottedName()); cls != nil {
		var fields []string
		body := cls.ChildByField("body")
		for _, st := range body.NamedChildren() {
			if st.Kind == "function_definition" && st.ChildByField("name").Text() == "__init__" {
				ps := flask.Params(st)
				if len(ps) > 0 && ps[0] == "self" {
					ps = ps[1:]
				}
				return ps
			}
			if st.Kind == "expression_statement" && len(st.NamedChildren()) == 1 {
				if as := st.NamedChildren()[0]; as.Kind == "assignment" && as.ChildByField("type") != nil {
					if l := as.ChildByField("left"); l != nil && l.Kind == "identifier" {
						fields = append(fields, l.Text())
					}
				}
			}
		}
		return fields
	}
	if _, def := proj.ResolveFunc(m, fn.DottedName()); def != nil {
		return flask.Params(def)
	}
	return nil
}
