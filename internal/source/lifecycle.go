package source

import (
	"regexp"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// lifecycleFragments name, per lifecycle (and write phase) rule, the code of the line that
// causes it, best first: these flaws live in what a handler does (or
// forgets) — the logout that only answers, the password write that checks
// nothing, the reset code drawn from random — so the handler's own lines
// are searched before its decorators.
var lifecycleFragments = map[string][]string{
	"session.logout-not-revoked":              {"logout_user(", "unset_jwt_cookies", "session.pop", "session.clear", "return "},
	"session.password-change-not-revoked":     {"set_password(", "generate_password_hash", "make_hash", "password_hash =", "hash_password"},
	"account.password-change-without-current": {"new_password", "set_password(", "generate_password_hash", "make_hash"},
	"session.refresh-as-access":               {"verify_type=false", "jwt_required", "decode("},
	"session.access-at-refresh":               {"verify_type=false", "jwt_required(refresh", "jwt_required", "decode("},
	"session.fixation":                        {"login_user(", "session[", "session.update"},
	"account.user-enumeration":                {"not in ", " is none", "if not user", "404", "no such", "unknown"},
	"account.user-enumeration-timing":         {"not in ", " is none", "if not user", "return "},
	"account.reset-token-in-response":         {"reset_token=", `"reset_token"`, "'reset_token'", "token=", "code="},
	"account.reset-token-guessable":           {"randint", "randrange", "random.", "choice(", "randbelow", "uuid1", "time.time"},
	"account.reset-token-reusable":            {"resets", "reset_tokens", ".get(", "token"},
	"account.reset-token-no-expiry":           {"encode(", "token"},
	"account.reset-without-proof":             {"update ", "set_password(", "password =", "generate_password_hash", "new_password"},
	// The write phase: the object loaded without its owner, the request
	// copied into it wholesale.
	"authz.bola-write":      {"filter_by(id", "query.get(", ".get(", ".pop(", "[note_id]", "get_or_404"},
	"authz.mass-assignment": {".update(", "setattr(", "**data", "**body", "**request"},
	// Registration and lists: the answer that tells a taken name, the
	// query that is not scoped to the caller.
	"account.registration-enumeration": {"exist", "taken", "already", "409"},
	"authz.collection-exposure":        {".all()", ".values()", "select ", ".find(", "query"},
}

// lifecycleCause pins a lifecycle finding to its line in the handler (or
// its decorators); nil for other rules.
func lifecycleCause(proj *flask.Project, r *flask.Route, rule string) *finding.Location {
	frags, ok := lifecycleFragments[rule]
	if !ok {
		return nil
	}
	var body []flask.Loc
	if r.Def != nil {
		for n := r.Def.Line + 1; n <= nodeEnd(r.Def); n++ {
			body = append(body, flask.Loc{File: r.File, Line: n})
		}
	}
	text := lineText(proj)
	// The lines that implement the route's auth (a hand-rolled decorator's
	// decode call) come after its own decorators.
	var auth []flask.Loc
	for _, a := range r.Auth {
		auth = append(auth, a.Lines...)
	}
	groups := [][]flask.Loc{body, decoratorLines(r), auth}
	if strings.Contains(rule, "refresh") {
		groups = [][]flask.Loc{decoratorLines(r), auth, body}
	}
	for _, want := range frags {
		for _, group := range groups {
			for _, l := range group {
				code := strings.ToLower(strings.TrimSpace(stripComment(text(l))))
				if strings.HasPrefix(code, "def ") || strings.HasPrefix(code, "@app.") || strings.HasPrefix(code, "@bp.") {
					continue
				}
				if strings.Contains(code, want) {
					return &finding.Location{File: l.File, Line: l.Line, Snippet: strings.TrimSpace(text(l))}
				}
			}
		}
	}
	handler := r.Line
	if r.Def != nil {
		handler = r.Def.Line
	}
	return &finding.Location{File: r.File, Line: handler}
}

// FlowHints name the lifecycle role (probe.RoleRefresh, RoleLogout,
// RolePasswordChange, RoleLogin) of routes whose code shows it, whatever
// their path:
// flask-jwt-extended's @jwt_required(refresh=True), Flask-Login's
// logout_user(), unset_jwt_cookies(), a password hash written by an
// authenticated route. Keys are "METHOD /path" as in the inventory.
func FlowHints(proj *flask.Project) map[string]string {
	out := map[string]string{}
	for _, r := range proj.Routes {
		if r.Def == nil {
			continue
		}
		var deco strings.Builder
		for _, d := range flask.Decorators(r.Def) {
			deco.WriteString(strings.ToLower(strings.Join(strings.Fields(d.Text()), "")))
		}
		body := strings.ToLower(r.Def.Text())
		role := ""
		switch {
		case strings.Contains(deco.String(), "jwt_required(refresh=true"):
			role = probe.RoleRefresh
		case strings.Contains(body, "logout_user(") || strings.Contains(body, "unset_jwt_cookies("):
			role = probe.RoleLogout
		case len(r.Auth) > 0 && (strings.Contains(body, "generate_password_hash(") || strings.Contains(body, "set_password(")):
			role = probe.RolePasswordChange
			if createsRecord(r) {
				// A POST on a collection that builds a new record with
				// the hash makes a user (an admin's or any member's
				// POST /users), it changes nobody's password.
				role = probe.RoleRegister
			}
		case len(r.Auth) == 0 && (strings.Contains(body, "check_password_hash(") || strings.Contains(body, "checkpw(") ||
			strings.Contains(body, "verify_password(") || strings.Contains(body, ".check_password(")):
			// An open route that checks a password is a login (the
			// brute-force check tries it with made-up users).
			role = probe.RoleLogin
		}
		if role == "" {
			continue
		}
		for _, ep := range Endpoints(&flask.Project{Routes: []*flask.Route{r}}) {
			if ep.Method != "GET" || role == probe.RoleLogout {
				out[ep.Key()] = role
			}
		}
	}
	return out
}

// className is a call of a capitalized name (a class: User(...)).
var className = regexp.MustCompile(`\b([A-Z][A-Za-z0-9_]*)\(`)

// createsRecord: the route is a POST on a path without parameters whose
// handler builds a new record holding a password: a class called with a
// password among its arguments (User(name=..., password=hashed); not an
// exception or a response), or an insert.
func createsRecord(r *flask.Route) bool {
	if strings.Contains(r.Path, "{") || !slices.ContainsFunc(r.Methods, func(m string) bool { return strings.EqualFold(m, "POST") }) {
		return false
	}
	code := r.Def.Text()
	low := strings.ToLower(code)
	if strings.Contains(low, "insert_one(") || strings.Contains(low, "insert into") {
		return true
	}
	for _, m := range className.FindAllStringSubmatchIndex(code, -1) {
		name := code[m[2]:m[3]]
		if strings.HasSuffix(name, "Error") || strings.HasSuffix(name, "Exception") || strings.HasSuffix(name, "Response") {
			continue
		}
		if args := callArgs(code[m[1]:]); strings.Contains(strings.ToLower(args), "password") {
			return true
		}
	}
	return false
}

// callArgs is the text up to the parenthesis that closes a call whose
// opening one was just read.
func callArgs(rest string) string {
	depth := 1
	for i, c := range rest {
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return rest[:i]
			}
		}
	}
	return ""
}
