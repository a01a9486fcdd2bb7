package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// cause picks the line a dynamic finding is pinned to when no static
// finding explains it: among the lines implementing the route's auth, the
// one whose code fits the rule (the verify call for signature flaws, the
// query read for query tokens, the comparison for key flaws); else the
// first; identity findings (token hygiene) pin to the login handler.
func cause(proj *flask.Project, r *flask.Route, rule string, endpoint bool) *finding.Location {
	handler := r.Line
	if r.Def != nil {
		handler = r.Def.Line
	}
	if loc := lifecycleCause(proj, r, rule); loc != nil {
		return loc
	}
	if !endpoint || inHandler[rule] {
		return &finding.Location{File: r.File, Line: handler}
	}
	if rule == "authz.missing-authentication" && len(r.Auth) == 0 {
		// Nothing checks a credential: the route itself is the cause, not
		// a line of its body that happens to say "required".
		return &finding.Location{File: r.File, Line: handler}
	}
	var lines []flask.Loc
	for _, a := range r.Auth {
		lines = append(lines, a.Lines...)
		if a.File != "" {
			lines = append(lines, flask.Loc{File: a.File, Line: a.Line})
		}
	}
	// The handler's own lines come after the auth lines: an inline check
	// (token = ...; claims = verify_token(token)) lives there.
	var body []flask.Loc
	if r.Def != nil {
		for n := r.Def.Line + 1; n <= nodeEnd(r.Def); n++ {
			body = append(body, flask.Loc{File: r.File, Line: n})
		}
	}
	// Then the bodies of the project functions the route calls.
	var called []flask.Loc
	for _, sp := range calleeSpans(proj, r) {
		for n := sp.start; n <= sp.end && sp.end-sp.start < 200; n++ {
			called = append(called, flask.Loc{File: sp.file, Line: n})
		}
	}
	text := lineText(proj)
	decor := decoratorLines(r)
	groups := [][]flask.Loc{lines, decor, called, body}
	if rule == "apikey.no-bruteforce-protection" && len(r.Auth) > 0 {
		// The unthrottled check lives in the route's auth (an inline one
		// included), not in what the handler does once let in.
		groups = [][]flask.Loc{lines, decor, called}
	}
	frags, deep := preferred(rule)
	if deep {
		// The fragments name the flaw itself: an option handed to a
		// decorator factory, or a line in the verifier the route calls,
		// rather than the call.
		groups = [][]flask.Loc{decor, called, lines, body}
	}
	for _, want := range frags {
		for _, group := range groups {
			for _, l := range group {
				code := strings.ToLower(strings.TrimSpace(stripComment(text(l))))
				if strings.HasPrefix(code, "def ") || strings.HasPrefix(code, "async def ") {
					continue // a function's name is not its flaw
				}
				if strings.Contains(code, want) {
					return &finding.Location{File: l.File, Line: l.Line, Snippet: strings.TrimSpace(text(l))}
				}
			}
		}
	}
	if len(lines) == 0 {
		return &finding.Location{File: r.File, Line: handler}
	}
	l := lines[0]
	return &finding.Location{File: l.File, Line: l.Line, Snippet: strings.TrimSpace(text(l))}
}

// inHandler rules are caused by what the handler does with an
// authenticated request (no ownership or role check, echoing secrets), not
// by how it authenticates.
var inHandler = map[string]bool{"authz.bola": true, "authz.bfla": true, "authz.bfla-method": true, "leak.credential-in-response": true}

// claimFragments name, per rule, the code that disables the check or
// opens the hole: an option, a header lookup, a fetch, a file or SQL use.
var claimFragments = map[string][]string{
	"jwt.expired-accepted":     {"verify_exp", "leeway", "exp"},
	"jwt.missing-exp-accepted": {"require", "exp"},
	"jwt.nbf-ignored":          {"verify_nbf", "nbf"},
	"jwt.iat-future-accepted":  {"verify_iat", "iat"},
	"jwt.iss-not-validated":    {"issuer", "verify_iss", "iss"},
	"jwt.aud-not-validated":    {"audience", "verify_aud", "aud"},
	"jwt.alg-not-pinned":       {"algorithms=", "algorithms"},
	"jwt.alg-confusion":        {`get("alg")`, `["alg"]`, "algorithms=", "hs256"},
	"jwt.jwk-header-trusted":   {`"jwk"`, "'jwk'", "jwk"},
	"jwt.jku-trusted":          {`"jku"`, "'jku'", "jku"},
	"jwt.jku-fetched":          {"fetch(", "urlopen", "requests.get", "jku"},
	"jwt.x5u-trusted":          {`"x5u"`, "'x5u'", "x5u"},
	"jwt.x5u-fetched":          {"fetch(", "urlopen", "requests.get", "x5u"},
	"jwt.kid-traversal":        {"open(", "os.path.join", "kid"},
	"jwt.kid-sqli":             {"execute(", "select ", "kid"},
	"jwt.psychic-signature":    {"pow(", "inverse", "verify"},
}

// preferred lists, per rule family, code fragments of the line that causes
// the weakness, best first; deep says they name the flaw itself rather than
// the call that reaches it.
func preferred(rule string) ([]string, bool) {
	switch {
	case strings.HasSuffix(rule, "-in-query"):
		return []string{"request.args", "query"}, false
	case rule == "apikey.variant-accepted":
		// A key compared loosely: by prefix, after case folding or
		// trimming, or by a partial slice.
		return []string{"startswith", ".lower()", ".upper()", "casefold", ".strip()", "[:", "compare", "=="}, true
	case rule == "apikey.no-bruteforce-protection":
		// The credential check that nothing throttles.
		return []string{"check_password", "compare", "==", "startswith", " in ", "password", "api_key", "key", "headers.get(", "headers["}, false
	case rule == "authn.client-controlled-identity":
		// Where the caller is read from what the client sent.
		return []string{"headers.get(", "headers[", "cookies.get(", "cookies[", "args.get("}, true
	case rule == "apikey.predictable-token":
		// Where the credential is minted from something guessable.
		return []string{"hashlib.", "md5", "sha1", "sha256", "uuid1", "random.", "time.time", "+= 1", "token ="}, true
	case strings.HasPrefix(rule, "apikey."):
		return []string{"compare", "==", "startswith", " in ", "api_key", "key", "token"}, false
	case rule == "jwt.invalid-signature-accepted":
		// A signature that is never compared: a verified-token cache keyed
		// on header and payload, or a partial comparison.
		return []string{"cache", "startswith", "[:", "compare_digest", "==", "jwt.decode(", "verify", "decode"}, true
	case rule == "jwt.alg-none":
		return []string{`"none"`, "'none'", "algorithms=", "jwt.decode(", "verify", "decode"}, true
	case rule == "jwt.signature-stripped":
		return []string{"if not sig", "if sig", "signature", "compare_digest", "jwt.decode(", "verify", "decode"}, true
	case claimFragments[rule] != nil:
		return claimFragments[rule], true
	case strings.HasPrefix(rule, "jwt."):
		return []string{"jwt.decode(", "jws.verify", "jwt.decode", "verify", "decode"}, false
	}
	return []string{"jwt_required", "login_required", "require", "verify", "decode", "abort("}, false
}

// stripComment drops a trailing Python comment (roughly: a # outside
// quotes), so annotations never decide where a finding is pinned.
func stripComment(line string) string {
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return line[:i]
		}
	}
	return line
}

// lineText returns a function reading a source line of the project.
func lineText(proj *flask.Project) func(flask.Loc) string {
	files := map[string]*python.File{}
	for _, m := range proj.Modules {
		files[m.File.Path] = m.File
	}
	return func(l flask.Loc) string {
		if f := files[l.File]; f != nil {
			return f.Line(l.Line)
		}
		return ""
	}
}
