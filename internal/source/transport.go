package source

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/transport"
)

// TokenHint is one place the source's JWT configuration says a token is
// sent, in login use: syntax ("header:Authorization:Token {token}",
// "cookie:access_token_cookie", "query:jwt"), with the line that says so.
type TokenHint struct {
	Use string
	Why string
	// Weak: a name that does not look like a credential (CredentialReads):
	// tried after the default.
	Weak bool
}

// TokenHints reads the JWT extension settings the code assigns
// (flask-jwt-extended's JWT_TOKEN_LOCATION, JWT_HEADER_NAME,
// JWT_HEADER_TYPE, JWT_ACCESS_COOKIE_NAME, JWT_QUERY_STRING_NAME; Flask-JWT's
// JWT_AUTH_HEADER_PREFIX) and returns where they put the token, most
// specific first. They are hints: the scan tries them against the API.
func TokenHints(proj *flask.Project) []TokenHint {
	if proj == nil {
		return nil
	}
	str := func(key string) (string, string, bool) {
		for _, e := range proj.Config[key] {
			v := proj.Eval(e.Value)
			if v.Kind == flask.Env && len(v.Items) == 1 {
				v = v.Items[0]
			}
			if v.Kind == flask.Str {
				return v.S, fmt.Sprintf("%s:%d %s", e.Module.File.Path, e.Stmt.Line, key), true
			}
		}
		return "", "", false
	}
	var out []TokenHint
	seen := map[string]bool{}
	add := func(use, why string) {
		if use != "" && !seen[use] {
			seen[use] = true
			out = append(out, TokenHint{Use: use, Why: why})
		}
	}
	locations, locWhy := tokenLocations(proj)
	for _, loc := range locations {
		switch loc {
		case "headers":
			name, nameWhy, hasName := str("JWT_HEADER_NAME")
			if !hasName {
				name = "Authorization"
			}
			typ, typWhy, hasType := str("JWT_HEADER_TYPE")
			if !hasType && !hasName {
				if locWhy != "" {
					add("bearer", locWhy) // flask-jwt-extended's default header
				}
				continue
			}
			if !hasType {
				typ = "Bearer"
			}
			why := strings.Trim(strings.Join([]string{nameWhy, typWhy}, ", "), ", ")
			add(transport.HeaderUse(name, typ), why)
		case "cookies":
			name, why, ok := str("JWT_ACCESS_COOKIE_NAME")
			if !ok {
				name, why = "access_token_cookie", locWhy
			}
			add("cookie:"+name, why)
		case "query_string":
			name, why, ok := str("JWT_QUERY_STRING_NAME")
			if !ok {
				name, why = "jwt", locWhy
			}
			add("query:"+name, why)
		}
	}
	if prefix, why, ok := str("JWT_AUTH_HEADER_PREFIX"); ok {
		add(transport.HeaderUse("Authorization", prefix), why)
	}
	// Headers before cookies before the query string, whatever the order
	// of JWT_TOKEN_LOCATION.
	cs := make([]transport.Candidate, len(out))
	for i, h := range out {
		cs[i] = transport.Candidate{Use: h.Use, Why: h.Why}
	}
	for i, c := range transport.Ordered(cs) {
		out[i] = TokenHint{Use: c.Use, Why: c.Why}
	}
	return out
}

// tokenLocations returns JWT_TOKEN_LOCATION as written ("headers" when
// it is not set, flask-jwt-extended's default).
func tokenLocations(proj *flask.Project) ([]string, string) {
	for _, e := range proj.Config["JWT_TOKEN_LOCATION"] {
		if ss, ok := proj.Eval(e.Value).Strings(); ok && len(ss) > 0 {
			return ss, fmt.Sprintf("%s:%d JWT_TOKEN_LOCATION", e.Module.File.Path, e.Stmt.Line)
		}
	}
	return []string{"headers"}, ""
}
