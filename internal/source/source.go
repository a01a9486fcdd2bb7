// Package source joins the source analysis with the live scan: the routes
// found in code become the scan's inventory, each proven weakness is pinned
// to the line that causes it, static findings the scan proved merge with
// their dynamic twins, and the code's declared policy becomes the expected
// policy of the auth matrix.
package source

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Endpoints turns the project's routes into inventory endpoints, one per
// method, with converter types and default values for path parameters and
// the handler's location.
func Endpoints(proj *flask.Project) []inventory.Endpoint {
	var out []inventory.Endpoint
	for _, r := range proj.Routes {
		path, params := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			out = append(out, inventory.Endpoint{
				Method: strings.ToUpper(m), Path: path, Params: params,
				Sources: []string{inventory.SourceCode}, File: r.File, Line: r.Line,
			})
		}
	}
	return out
}

// Index finds the route that serves an endpoint.
type Index struct {
	routes map[string]*flask.Route
}

// NewIndex indexes routes by method and path shape.
func NewIndex(proj *flask.Project) *Index {
	ix := &Index{routes: map[string]*flask.Route{}}
	for _, r := range proj.Routes {
		path, _ := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			k := strings.ToUpper(m) + " " + shape(path)
			if _, dup := ix.routes[k]; !dup {
				ix.routes[k] = r
			}
		}
	}
	return ix
}

// Route returns the route for "METHOD /path/{x}", nil when none. HEAD and
// OPTIONS fall back to the route's GET (Flask adds them).
func (ix *Index) Route(method, path string) *flask.Route {
	if r := ix.routes[method+" "+shape(path)]; r != nil {
		return r
	}
	if method == "HEAD" || method == "OPTIONS" {
		return ix.routes["GET "+shape(path)]
	}
	return nil
}

// shape replaces placeholder names: /a/{id} and /a/{order_id} are one path.
func shape(path string) string {
	var b strings.Builder
	depth := 0
	for _, c := range path {
		switch {
		case c == '{':
			depth++
			if depth == 1 {
				b.WriteString("{}")
			}
		case c == '}':
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return strings.TrimRight(b.String(), "/")
}

// span is a range of lines in one file.
type span struct {
	file       string
	start, end int
}

func (s span) has(l *finding.Location) bool {
	return l != nil && l.File == s.file && l.Line >= s.start && l.Line <= s.end
}

// reach lists the lines that decide a route's authentication: its handler,
// every line that implements its auth (decorators, hooks, decode and
// comparison lines), and the bodies of the project functions they call, a
// few calls deep (a hand-rolled verify_token lives there).
func reach(proj *flask.Project, r *flask.Route) []span {
	var out []span
	if r.Def != nil {
		out = append(out, span{r.File, r.Def.Line, nodeEnd(r.Def)})
	} else {
		out = append(out, span{r.File, r.Line, r.Line})
	}
	for _, d := range decoratorLines(r) {
		out = append(out, span{d.File, d.Line, d.Line})
	}
	for _, a := range r.Auth {
		if a.File != "" {
			out = append(out, span{a.File, a.Line, a.Line})
		}
		for _, l := range a.Lines {
			out = append(out, span{l.File, l.Line, l.Line})
		}
	}
	return append(out, calleeSpans(proj, r)...)
}

// calleeSpans are the bodies of the project functions the route's handler
// and auth decorators call, three calls deep.
func calleeSpans(proj *flask.Project, r *flask.Route) []span {
	var roots []*python.Node
	if r.Def != nil {
		roots = append(roots, r.Def)
	}
	for _, a := range r.Auth {
		if m := moduleByFile(proj, a.File); m != nil {
			if _, def := proj.ResolveFunc(m, a.Name); def != nil {
				roots = append(roots, def)
			}
		}
	}
	roots = append(roots, decoratorRefs(proj, r)...)
	var out []span
	seen := map[*python.Node]bool{}
	for i, root := range roots {
		if i > 0 || r.Def == nil {
			// A decorator's or hook's own body decides too.
			out = append(out, span{root.File.Path, root.Line, nodeEnd(root)})
		}
		out = append(out, callees(proj, root, 3, seen)...)
	}
	return out
}

// callees returns the spans of project functions called from fn.
func callees(proj *flask.Project, fn *python.Node, depth int, seen map[*python.Node]bool) []span {
	if depth == 0 || fn == nil || seen[fn] {
		return nil
	}
	seen[fn] = true
	m := proj.ModuleOf(fn)
	if m == nil {
		return nil
	}
	var out []span
	fn.Walk(func(n *python.Node) bool {
		if n.Kind != "call" {
			return true
		}
		name := n.ChildByField("function")
		if name == nil || (name.Kind != "identifier" && name.Kind != "attribute") {
			return true
		}
		if _, def := proj.ResolveFunc(m, name.Text()); def != nil && !seen[def] {
			out = append(out, span{def.File.Path, def.Line, nodeEnd(def)})
			out = append(out, callees(proj, def, depth-1, seen)...)
		}
		return true
	})
	return out
}

// decoratorLines are the source lines of the route's decorators: options
// given to a decorator factory (@guarded(verifier(options=...))) live there.
func decoratorLines(r *flask.Route) []flask.Loc {
	if r.Def == nil {
		return nil
	}
	var out []flask.Loc
	for _, d := range flask.Decorators(r.Def) {
		for n := d.Line; n <= nodeEnd(d); n++ {
			out = append(out, flask.Loc{File: r.File, Line: n})
		}
	}
	return out
}

// decoratorRefs are the project functions a route's decorators name,
// called or passed (@guarded(v.invoices) hands the verifier over).
func decoratorRefs(proj *flask.Project, r *flask.Route) []*python.Node {
	if r.Def == nil {
		return nil
	}
	m := proj.ModuleOf(r.Def)
	if m == nil {
		return nil
	}
	var out []*python.Node
	seen := map[*python.Node]bool{}
	for _, d := range flask.Decorators(r.Def) {
		d.Walk(func(n *python.Node) bool {
			if n.Kind != "identifier" && n.Kind != "attribute" {
				return true
			}
			if _, def := proj.ResolveFunc(m, n.Text()); def != nil && !seen[def] {
				seen[def] = true
				out = append(out, def)
			}
			return n.Kind != "attribute"
		})
	}
	return out
}

func moduleByFile(proj *flask.Project, file string) *flask.Module {
	for _, m := range proj.Modules {
		if m.File.Path == file {
			return m
		}
	}
	return nil
}

func nodeEnd(n *python.Node) int {
	if n.File == nil || n.End > len(n.File.Src) || n.Start > n.End {
		return n.Line
	}
	return n.Line + bytes.Count(n.File.Src[n.Start:n.End], []byte("\n"))
}

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
	if !endpoint || inHandler[rule] {
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
var inHandler = map[string]bool{"authz.bola": true, "authz.bfla": true, "leak.credential-in-response": true}

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
	case strings.HasPrefix(rule, "apikey."):
		return []string{"compare", "==", " in ", "api_key", "key"}, false
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

func routeLoc(r *flask.Route) finding.Location {
	return finding.Location{File: r.File, Line: r.Line, Snippet: fmt.Sprintf("%s %s → %s", strings.Join(r.Methods, ","), r.Rule, r.Handler)}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
