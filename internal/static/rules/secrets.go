package rules

import (
	"bytes"
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
	// report judges a literal in a secret sink; sink is the call or
	// config assignment that uses it.
	report := func(v flask.Value, weakID, hardID, what string, sink *python.Node, sinkNote string) {
		s, node, ok := literalOf(v)
		if !ok || s == "" || node == nil || redacted(s) || nameValue(ps, s) {
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
		flow := []finding.Step{step(node, "source", "hardcoded value"+fallback)}
		if at := refusedDefault(ps, s, node); at != nil {
			flow = append(flow, step(at, "step", "the app compares the value with this default: it may refuse it"))
		} else if sink != nil {
			flow = append(append(flow, ps.requestHandling(sink)...), step(sink, "sink", sinkNote))
		}
		ps.secretNodes[node] = true
		if v.Kind == flask.Env {
			defer ps.refuteDeployed(len(ps.Findings), v.EnvName)
			defer ps.refuteStartupRefusal(len(ps.Findings), v.EnvName)
		}
		if WeakSecret(s) {
			ps.ReportFlow(weakID, node, finding.Firm, what+" is hardcoded and weak"+fallback, flow, nil)
		} else if ps.secretShaped(s) || v.Kind == flask.Str && !placeholder(s) && !ps.projectNames()[strings.ToLower(s)] {
			ps.ReportFlow(hardID, node, finding.Firm, what+" is hardcoded in source"+fallback, flow, nil)
		}
	}
	for _, c := range ps.Calls {
		before := len(ps.Findings)
		switch {
		case jwtLib(c.Q, "decode") == "pyjwt" || jwtLib(c.Q, "decode") == "jose" || jwtLib(c.Q, "encode") == "pyjwt" || jwtLib(c.Q, "encode") == "jose":
			report(p.Eval(c.Arg(1, "key")), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "the JWT secret", c.Node, "the key of "+c.Q)
		case jwtLib(c.Q, "encode") == "authlib":
			report(p.Eval(c.Arg(2, "key")), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "the JWT secret", c.Node, "the key of "+c.Q)
		case jwtLib(c.Q, "decode") == "authlib":
			report(p.Eval(c.Arg(1, "key")), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "the JWT secret", c.Node, "the key of "+c.Q)
		}
		ps.demoteClassLiteral(before)
	}
	// Settings read from JSON or TOML files (config.from_file).
	for key, entries := range p.Config {
		if !secretConfigKey(key) {
			continue
		}
		for _, e := range entries {
			if e.File != nil {
				reportFileSecret(ps, key, e)
			}
		}
	}
	for _, e := range p.Config["JWT_SECRET_KEY"] {
		if devConfig(e.Stmt) || e.File != nil {
			continue // TestingConfig / DevelopmentConfig: not the deployed secret
		}
		before := len(ps.Findings)
		report(p.Eval(e.Value), "py.jwt-weak-secret", "py.jwt-hardcoded-secret", "JWT_SECRET_KEY", e.Stmt, "Flask config JWT_SECRET_KEY (flask-jwt-extended signs tokens with it)")
		ps.demoteUnloaded(before, e.Stmt, "JWT_SECRET_KEY")
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
		if devConfig(e.Stmt) || e.File != nil {
			continue
		}
		before := len(ps.Findings)
		if root := p.RootOf(e.Module); jwtRoots[root] && !keyRoots[root] {
			report(p.Eval(e.Value), "py.jwt-weak-secret", "py.jwt-hardcoded-secret",
				"SECRET_KEY (flask-jwt-extended signs tokens with it: JWT_SECRET_KEY is not set)", e.Stmt, "Flask config SECRET_KEY, the JWT signing key")
			ps.demoteUnloaded(before, e.Stmt, "SECRET_KEY")
			continue
		}
		report(p.Eval(e.Value), "py.flask-weak-secret-key", "py.flask-hardcoded-secret-key", "SECRET_KEY", e.Stmt, "Flask config SECRET_KEY (signs the session cookie)")
		ps.demoteUnloaded(before, e.Stmt, "SECRET_KEY")
		ps.demoteUnused(before, e.Module)
	}
	// Names assigned a generated-looking literal: their uses are indexed
	// in one walk before hardcodedKeys follows them.
	cands := map[string]bool{}
	shaped := map[*python.Node]flask.Value{}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left, right := n.ChildByField("left"), n.ChildByField("right")
			if left.Kind != "identifier" && left.Kind != "attribute" || right == nil ||
				bytes.IndexAny(m.File.Src[right.Start:right.End], "\"'") < 0 {
				continue // no literal of its own: a literal elsewhere is judged where it is written
			}
			v := p.Eval(right)
			if len(ps.shapedLiterals(v)) == 0 {
				continue
			}
			shaped[n] = v
			name := left.Text()
			if left.Kind == "attribute" {
				name = left.ChildByField("attribute").Text()
			}
			cands[name] = true
		}
	}
	if len(cands) > 0 {
		ps.indexIdents(cands)
	}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("assignment") {
			left := n.ChildByField("left")
			if left.Kind == "attribute" && left.ChildByField("attribute").Text() == "secret_key" {
				// Only a Flask app's secret_key signs sessions; another
				// object's attribute of that name is just a name.
				if o := p.ObjectAt(left.ChildByField("object")); o != nil && o.Kind == "app" {
					before := len(ps.Findings)
					report(p.Eval(n.ChildByField("right")), "py.flask-weak-secret-key", "py.flask-hardcoded-secret-key", "app.secret_key", n, "the Flask app's secret_key (signs the session cookie)")
					ps.demoteUnused(before, m)
				}
				continue
			}
			if left.Kind == "identifier" || left.Kind == "attribute" {
				if v, ok := shaped[n]; ok {
					hardcodedKeys(ps, n, v, left)
				}
			}
		}
	}
	for _, m := range p.Modules {
		for _, n := range m.File.OfKind("string") {
			if s, ok := n.StringValue(); ok && keyShapedParts(s) && !strings.Contains(strings.ToUpper(s), "EXAMPLE") {
				before := len(ps.Findings)
				ps.ReportFlow("py.hardcoded-api-key", n, finding.Firm, "a key-shaped literal is committed to source",
					[]finding.Step{step(n, "source", "a provider-issued key format"), step(n, "sink", "committed to source: anyone with the code holds the key")}, nil)
				if publishableOnly(s) && !ps.checkedAgainstRequest(n) {
					// Holding it unlocks nothing: the provider's design puts
					// it in every customer's browser (held-out-informed,
					// batch 6: sgs-flask's STRIPE_PUB_KEY).
					ps.refute(before, step(n, "", "a publishable key (pk_): the provider's design hands it to every browser, and the project checks no request against it"))
				}
			}
		}
	}
}

// refusedDefault finds where the project compares a value with the same
// literal elsewhere (if SECRET_KEY == "changeme": refuse to start), or nil.
func refusedDefault(ps *Pass, s string, at *python.Node) *python.Node {
	if len(s) < 4 {
		return nil
	}
	for _, m := range ps.Project.Modules {
		for _, n := range m.File.OfKind("string") {
			if n == at {
				continue
			}
			if v, ok := n.StringValue(); !ok || v != s {
				continue
			}
			for par := n.Parent; par != nil && par.Kind != "expression_statement" && par.Kind != "block"; par = par.Parent {
				if par.Kind == "comparison_operator" {
					return par
				}
			}
		}
	}
	return nil
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

// hardcodedKeys judges an assignment NAME = literal (or a list or dict
// of literals): a literal that looks generated is a hardcoded key when
// NAME's value reaches a secret sink; without a sink, and only if NAME
// says key, it is a name-only match (low, review).
func hardcodedKeys(ps *Pass, assign *python.Node, v flask.Value, left *python.Node) {
	name := left.Text()
	if left.Kind == "attribute" {
		name = left.ChildByField("attribute").Text()
	}
	// A fingerprint names something public.
	if strings.Contains(strings.ToLower(name), "fingerprint") {
		return
	}
	var shaped []*python.Node
	for _, n := range ps.shapedLiterals(v) {
		if !ps.secretNodes[n] {
			shaped = append(shaped, n)
		}
	}
	if len(shaped) == 0 {
		return
	}
	var sink []finding.Step
	def := assign.Ancestor("function_definition")
	switch {
	case left.Kind == "identifier" && def != nil:
		sink = ps.followName(ps.flows.secret, def.ChildByField("body"), name, assign, 0)
	case left.Kind == "attribute" && def != nil && left.ChildByField("object").Text() != "self":
		// obj.field = literal inside a function sets a model field (a
		// seed script's user.stripe_id): not a constant that flows.
	default:
		uses := ps.usesOf(name, nil, ps.Project.ModuleOf(assign))
		for _, u := range uses {
			if oauthClientID(u) {
				return // sent as an OAuth client_id: an identifier, public by the protocol
			}
		}
		for _, u := range uses {
			if u.Start >= assign.Start && u.End <= assign.End || ps.requestDerived(u, 0) {
				continue // request data is the client's value, not the constant
			}
			if s := ps.secretSink(u, 0); s != nil {
				sink = append([]finding.Step{step(u, "step", "read as "+u.Text())}, s...)
				if e := ps.requestHandling(u); e != nil {
					sink = append(e, sink...)
				}
				break
			}
		}
	}
	if sink == nil && apiKeyName(name) == 0 {
		return // neither a name that says key nor a use as one
	}
	for _, n := range shaped {
		ps.ReportFlow("py.hardcoded-api-key", n, finding.Firm, "a generated-looking key in "+name+" is committed to source",
			append([]finding.Step{step(n, "source", "hardcoded in "+name)}, sink...), nil)
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
// publishableOnly: every key-shaped part of s is a publishable key (a
// pk_live_/pk_test_ key, public by the provider's design).
func publishableOnly(s string) bool {
	any := false
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if keyShaped.MatchString(part) {
			if !strings.HasPrefix(part, "pk_") {
				return false
			}
			any = true
		}
	}
	return any
}

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

// shapedLiterals are the generated-looking string literals of a value (a
// literal, an environment default, list items, dict keys and values, the
// source of a split).
func (ps *Pass) shapedLiterals(v flask.Value) []*python.Node {
	var out []*python.Node
	// Each literal is judged where it lies (the values are not copied
	// into one list: a dict's keys, then its items).
	judge := func(kind flask.ValueKind, node *python.Node) {
		if kind != flask.Str || node == nil {
			return
		}
		s, _ := node.StringValue()
		if keyShapedParts(s) {
			return // reported as key-shaped on its own
		}
		for part := range strings.SplitSeq(s, ",") {
			if ps.secretShaped(strings.TrimSpace(part)) {
				out = append(out, node)
				return
			}
		}
	}
	switch v.Kind {
	case flask.Str, flask.Env:
		if _, node, ok := literalOf(v); ok {
			judge(flask.Str, node)
		}
	case flask.List:
		for i := range v.Items {
			judge(v.Items[i].Kind, v.Items[i].Node)
		}
	case flask.Dict:
		for i := range v.Keys {
			judge(v.Keys[i].Kind, v.Keys[i].Node)
		}
		for i := range v.Items {
			judge(v.Items[i].Kind, v.Items[i].Node)
		}
	case flask.Split:
		if len(v.Items) > 0 {
			if _, node, ok := literalOf(v.Items[0]); ok {
				judge(flask.Str, node)
			}
		}
	}
	return out
}

// reportFileSecret judges a secret setting written in a JSON or TOML file
// the app loads with config.from_file: the file line is the source, the
// from_file call the step, the config key the sink.
func reportFileSecret(ps *Pass, key string, e flask.ConfigEntry) {
	s := e.File.S
	if s == "" || redacted(s) {
		return
	}
	loc := finding.Location{File: e.File.File, Line: e.File.Line, Snippet: e.File.Snippet}
	flow := []finding.Step{{Location: loc, Role: "source", Note: "hardcoded in the config file"},
		step(e.Stmt, "step", "loaded with "+e.Stmt.ChildByField("function").Text()),
		{Location: loc, Role: "sink", Note: "Flask config " + key}}
	weakID, hardID := "py.flask-weak-secret-key", "py.flask-hardcoded-secret-key"
	if strings.HasPrefix(key, "JWT_") {
		weakID, hardID = "py.jwt-weak-secret", "py.jwt-hardcoded-secret"
	}
	if WeakSecret(s) {
		ps.ReportAt(weakID, loc, finding.Firm, key+" is hardcoded and weak in "+e.File.File, flow, nil)
	} else if ps.secretShaped(s) {
		ps.ReportAt(hardID, loc, finding.Firm, key+" is hardcoded in "+e.File.File, flow, nil)
	}
}

// nameValue: the literal is a name, not a value — a config key or a
// CONSTANT_CASE identifier of the project (class ConfigKey: SECRET_KEY =
// "SECRET_KEY" lists names; the secret is read elsewhere).
func nameValue(ps *Pass, s string) bool {
	if _, ok := ps.Project.Config[s]; ok {
		return true
	}
	return isConstantName(s) && identifierShaped(s) && ps.projectNames()[strings.ToLower(s)]
}

// oauthClientID: the value is sent as an OAuth client_id (a dict entry, a
// keyword argument or a parameter set by that name). OAuth 2.0 defines the
// client identifier as public (RFC 6749, 2.2), so whatever else the value
// is sent as, it is no secret.
func oauthClientID(u *python.Node) bool {
	cur := u
	for i := 0; i < 4 && cur.Parent != nil; i++ {
		par := cur.Parent
		switch par.Kind {
		case "parenthesized_expression", "call", "argument_list":
			if par.Kind == "call" && cur.Field() != "arguments" {
				return false
			}
			cur = par
			continue
		case "pair":
			k, ok := par.ChildByField("key").StringValue()
			return ok && cur.Field() == "value" && strings.EqualFold(k, "client_id")
		case "keyword_argument":
			return strings.EqualFold(par.ChildByField("name").Text(), "client_id")
		case "assignment":
			left := par.ChildByField("left")
			if left.Kind == "subscript" && cur.Field() == "right" {
				k, ok := left.ChildByField("subscript").StringValue()
				return ok && strings.EqualFold(k, "client_id")
			}
		}
		return false
	}
	return false
}
