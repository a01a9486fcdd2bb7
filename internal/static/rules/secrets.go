package rules

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

var knownDefaults = map[string]bool{
	"secret": true, "changeme": true, "change-me": true, "change_me": true, "dev": true, "development": true,
	"password": true, "your-secret-key": true, "your_secret_key": true, "secret-key": true, "secret_key": true,
	"supersecret": true, "super-secret": true, "super-secret-key": true, "jwt-secret": true, "jwt_secret": true,
	"mysecret": true, "my-secret": true, "default": true, "test": true, "key": true, "s3cr3t": true,
	"secret123": true, "secretkey": true, "insecure": true, "dev-secret": true, "dev-key": true, "changeit": true,
	"replace-me": true, "shhh": true, "keyboard cat": true, "123456": true, "admin": true, "qwerty": true,
}

var weakWords = []string{"secret", "password", "changeme", "change", "dev", "test", "default", "example", "jwt", "flask", "super", "key", "demo", "sample"}

// WeakSecret reports a secret that a wordlist or short brute force finds.
func WeakSecret(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if len(l) < 16 || knownDefaults[l] {
		return true
	}
	if strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-_ !.") != "" {
		return false
	}
	for _, w := range weakWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// literalOf returns the string literal behind a value (also an env default).
func literalOf(v flask.Value) (string, *python.Node, bool) {
	switch v.Kind {
	case flask.Str:
		return v.S, v.Node, true
	case flask.Env:
		if len(v.Items) == 1 && v.Items[0].Kind == flask.Str && v.Items[0].S != "" {
			return v.Items[0].S, v.Items[0].Node, true
		}
	}
	return "", nil, false
}

func runSecrets(ps *Pass) {
	p := ps.Project
	jwtNodes := map[*python.Node]bool{} // a secret reported as a JWT key is not reported again as SECRET_KEY
	report := func(v flask.Value, weakID, hardID, what string) {
		s, node, ok := literalOf(v)
		if !ok || s == "" || node == nil {
			return
		}
		if strings.HasPrefix(weakID, "py.jwt") {
			jwtNodes[node] = true
		} else if jwtNodes[node] {
			return
		}
		ps.secrets = append(ps.secrets, Secret{Value: s, File: node.File.Path, Line: node.Line, What: what})
		fallback := ""
		if v.Kind == flask.Env {
			fallback = " (fallback when " + v.EnvName + " is unset)"
		}
		if WeakSecret(s) {
			ps.Report(weakID, node, finding.Firm, what+" is hardcoded and weak"+fallback, nil)
		} else {
			ps.Report(hardID, node, finding.Firm, what+" is hardcoded in source"+fallback, nil)
		}
	}
	for _, c := range ps.Calls {
		switch {
		case jwtLib(c.Q, "decode") == "pyjwt" || jwtLib(c.Q, "decode") == "jose" || jwtLib(c.Q, "encode") == "pyjwt" || jwtLib(c.Q, "encode") == "jose":
			report(p.Eval(c.Arg(1, "key")), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "the JWT secret")
		case jwtLib(c.Q, "encode") == "authlib":
			report(p.Eval(c.Arg(2, "key")), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "the JWT secret")
		case jwtLib(c.Q, "decode") == "authlib":
			report(p.Eval(c.Arg(1, "key")), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "the JWT secret")
		}
	}
	for _, e := range p.Config["JWT_SECRET_KEY"] {
		if devConfig(e.Stmt) {
			continue // TestingConfig / DevelopmentConfig: not the deployed secret
		}
		report(p.Eval(e.Value), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "JWT_SECRET_KEY")
	}
	// flask-jwt-extended signs with SECRET_KEY when JWT_SECRET_KEY is not
	// set: a weak SECRET_KEY is then a forgeable JWT.
	// Per tree: several apps in one folder do not lend each other their
	// JWTManager or their JWT_SECRET_KEY.
	jwtRoots, keyRoots := jwtExtendedRoots(ps), map[string]bool{}
	for _, e := range p.Config["JWT_SECRET_KEY"] {
		keyRoots[p.RootOf(e.Module)] = true
	}
	for _, e := range p.Config["SECRET_KEY"] {
		if devConfig(e.Stmt) {
			continue
		}
		if root := p.RootOf(e.Module); jwtRoots[root] && !keyRoots[root] {
			report(p.Eval(e.Value), "py.jwt-weak-secret", "py.jwt-hardcoded-secret",
				"SECRET_KEY (flask-jwt-extended signs tokens with it: JWT_SECRET_KEY is not set)")
			continue
		}
		report(p.Eval(e.Value), "py.flask-weak-secret-key", "py.flask-hardcoded-secret-key", "SECRET_KEY")
	}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left := n.ChildByField("left")
			if left.Kind == "attribute" && left.ChildByField("attribute").Text() == "secret_key" {
				report(p.Eval(n.ChildByField("right")), "py.flask-weak-secret-key", "py.flask-hardcoded-secret-key", "app.secret_key")
			}
			// Names that merely end in key/token count as constants only
			// (KEY = ..., not a local key = ... in a test).
			if strength := apiKeyName(left.Text()); strength == 2 || strength == 1 && isConstantName(left.Text()) {
				hardcodedKeys(ps, p.Eval(n.ChildByField("right")), left.Text(), strength == 2)
			}
		}
	}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("string") {
			if s, ok := n.StringValue(); ok && keyShapedParts(s) {
				ps.Report("py.hardcoded-api-key", n, finding.Firm, "a key-shaped literal is committed to source", nil)
			}
		}
	}
}

var keyShaped = regexp.MustCompile(`^(?:(?:sk|pk|rk)_(?:live|test|prod)_[A-Za-z0-9]{8,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[bpars]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})$`)

// apiKeyName: 2 for names that say API key, 1 for names ending in
// key/token (their values must look generated), 0 otherwise.
func apiKeyName(name string) int {
	l := strings.ToLower(name)
	// Flask's SECRET_KEY and JWT secrets have their own rules; public and
	// site keys (reCAPTCHA, OAuth client ids) are meant to be published.
	for _, w := range []string{"header", "name", "param", "field", "len", "location", "expires", "url", "path", "prefix",
		"secret_key", "public", "site_key", "sitekey", "recaptcha", "publishable"} {
		if strings.Contains(l, w) {
			return 0
		}
	}
	for _, w := range []string{"api_key", "apikey", "api_token", "access_key", "service_key", "partner_key", "client_secret", "valid_keys", "allowed_keys"} {
		if strings.Contains(l, w) {
			return 2
		}
	}
	parts := strings.Split(l, "_")
	switch parts[len(parts)-1] {
	case "key", "keys", "token", "tokens":
		return 1
	}
	return 0
}

func hardcodedKeys(ps *Pass, v flask.Value, name string, strong bool) {
	var lits []flask.Value
	switch v.Kind {
	case flask.Str, flask.Env:
		if _, node, ok := literalOf(v); ok {
			lits = append(lits, flask.Value{Kind: flask.Str, Node: node, S: node.Text()})
		}
	case flask.List:
		lits = v.Items
	case flask.Dict:
		lits = append(append(lits, v.Keys...), v.Items...)
	}
	single := (v.Kind == flask.Str || v.Kind == flask.Env) && strong
	for _, l := range lits {
		if l.Kind != flask.Str || l.Node == nil {
			continue
		}
		s, _ := l.Node.StringValue()
		if strings.ContainsAny(s, " ") || len(s) < 8 || !single && !keyShaped.MatchString(s) && !randomish(s) {
			continue
		}
		ps.Report("py.hardcoded-api-key", l.Node, finding.Firm, "API key in "+name+" is committed to source", nil)
	}
}

// randomish is a literal that looks generated rather than a name or a role.
func randomish(s string) bool {
	letters, digits := false, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters = true
		}
	}
	return len(s) >= 12 && letters && digits
}

// keyShapedParts matches a key-shaped literal, also inside a comma or space
// separated list ("pk_live_...,pk_live_...").
func keyShapedParts(s string) bool {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if keyShaped.MatchString(part) {
			return true
		}
	}
	return false
}

func isConstantName(s string) bool {
	return s == strings.ToUpper(s) && strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

// jwtExtendedRoots are the trees that set up flask-jwt-extended.
func jwtExtendedRoots(ps *Pass) map[string]bool {
	out := map[string]bool{}
	for _, c := range ps.Calls {
		if strings.Contains(c.Q, "flask_jwt_extended") && strings.HasSuffix(c.Q, "JWTManager") {
			out[ps.Project.RootOf(c.Module)] = true
		}
	}
	return out
}
