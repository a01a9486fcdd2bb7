package fix

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixRoleCheck gives a route the role check its siblings make: the other
// methods of the same URL rule, else the other routes under the same
// path prefix (/api/admin/...). What they agree on is copied: the guard
// that opens each of their bodies (an `if` answering 403), or an auth
// decorator they all carry and the route lacks. Only for a finding a live
// scan proved against the scan's policy (authz.bfla, authz.bfla-method).
func fixRoleCheck(s *site) (*attempt, string) {
	def := s.routeDef()
	if def == nil {
		return nil, "no route function at " + s.f.Location.String()
	}
	voters := roleVoters(s.file, def)
	if len(voters) == 0 {
		return nil, "no sibling route (same URL rule, or the same path prefix) to take the role check from"
	}
	if guard := sharedGuard(s.src(), voters); guard != "" {
		body := def.ChildByField("definition").ChildByField("body")
		sts := body.NamedChildren()
		if len(sts) == 0 {
			return nil, "the route has an empty body"
		}
		first := sts[0]
		if first.Kind == "expression_statement" && len(first.NamedChildren()) == 1 && first.NamedChildren()[0].Kind == "string" && len(sts) > 1 {
			first = sts[1] // after the docstring
		}
		if dedent(s.src(), first) == guard {
			return nil, "the route already opens with its siblings' role check"
		}
		at := lineStart(s.src(), first.Start)
		return &attempt{edits: []Edit{{Start: at, End: at, New: indentLines(guard, indentOf(s.src(), first.Start)) + "\n"}},
			what: "the role check its sibling routes open with (" + firstLine(guard) + ")"}, ""
	}
	have := map[string]bool{}
	for _, d := range authDecorators(def) {
		have[d] = true
	}
	var missing string
	for _, d := range authDecorators(voters[0]) {
		if have[d] {
			continue
		}
		all := true
		for _, v := range voters[1:] {
			if !contains(authDecorators(v), d) {
				all = false
			}
		}
		if all {
			if missing != "" {
				return nil, "the sibling routes carry more than one decorator this route lacks"
			}
			missing = d
		}
	}
	if missing == "" {
		return nil, "the sibling routes share no role check (an opening 403 guard or a decorator) this route lacks"
	}
	decs := decorators(def)
	last := decs[0]
	for _, d := range decs {
		if isRouteDecorator(d) {
			last = d
		}
	}
	at := lineEnd(s.src(), last.End-1)
	return &attempt{edits: []Edit{{Start: at, End: at, New: indentOf(s.src(), last.Start) + missing + "\n"}},
		what: missing + " added, as on the sibling routes"}, ""
}

// routeDef returns the decorated route function spanning the cause line.
func (s *site) routeDef() *python.Node {
	for _, d := range s.onLine("decorated_definition") {
		if isRoute(d) {
			return d
		}
	}
	return nil
}

// roleVoters are the routes whose role check the route should share: the
// other methods of its URL rule, else the routes under its longest shared
// path prefix of at least two segments.
func roleVoters(f *python.File, def *python.Node) []*python.Node {
	rule := normRule(routeRule(def))
	if rule == "" {
		return nil
	}
	var routes []*python.Node
	for _, o := range f.OfKind("decorated_definition") {
		if o != def && isRoute(o) && o.ChildByField("definition") != nil && o.ChildByField("definition").Kind == "function_definition" {
			routes = append(routes, o)
		}
	}
	var same []*python.Node
	for _, o := range routes {
		if normRule(routeRule(o)) == rule {
			same = append(same, o)
		}
	}
	if len(same) > 0 {
		return same
	}
	segs := strings.Split(strings.Trim(rule, "/"), "/")
	for n := len(segs) - 1; n >= 2; n-- {
		prefix := "/" + strings.Join(segs[:n], "/") + "/"
		var under []*python.Node
		for _, o := range routes {
			if strings.HasPrefix(normRule(routeRule(o))+"/", prefix) {
				under = append(under, o)
			}
		}
		if len(under) > 0 {
			return under
		}
	}
	return nil
}

var ruleParam = regexp.MustCompile(`<[^>]*>|\{[^}]*\}`)

// normRule makes Flask (<int:id>) and OpenAPI ({id}) rules comparable.
func normRule(r string) string { return ruleParam.ReplaceAllString(r, "{}") }

// sharedGuard returns the statement every voter's body opens with when it
// is an `if` that answers 403 (a `return ..., 403` or `abort(403)`), and
// all voters have the same one.
func sharedGuard(src []byte, voters []*python.Node) string {
	guard := ""
	for _, v := range voters {
		sts := v.ChildByField("definition").ChildByField("body").NamedChildren()
		if len(sts) > 1 && sts[0].Kind == "expression_statement" && sts[0].NamedChildren()[0].Kind == "string" {
			sts = sts[1:]
		}
		if len(sts) == 0 || sts[0].Kind != "if_statement" || !refuses403(sts[0]) {
			return ""
		}
		t := dedent(src, sts[0])
		if guard != "" && guard != t {
			return ""
		}
		guard = t
	}
	return guard
}

// refuses403 reports whether an if statement (without else) only answers 403.
func refuses403(st *python.Node) bool {
	if st.ChildByField("alternative") != nil {
		return false
	}
	body := st.ChildByField("consequence")
	sts := body.NamedChildren()
	if len(sts) != 1 {
		return false
	}
	t := strings.ReplaceAll(sts[0].Text(), " ", "")
	return sts[0].Kind == "return_statement" && strings.HasSuffix(t, ",403") ||
		sts[0].Kind == "expression_statement" && strings.HasPrefix(t, "abort(403")
}

// dedent returns a statement's text with its continuation lines stripped
// of the statement's own indentation (node text starts at the statement).
func dedent(src []byte, st *python.Node) string {
	base := len(indentOf(src, st.Start))
	lines := strings.Split(st.Text(), "\n")
	for i := 1; i < len(lines); i++ {
		if len(lines[i]) >= base && strings.TrimSpace(lines[i][:base]) == "" {
			lines[i] = lines[i][base:]
		}
	}
	return strings.Join(lines, "\n")
}

// indentLines indents every line of a dedented statement by ind.
func indentLines(t, ind string) string {
	lines := strings.Split(t, "\n")
	for i := range lines {
		if lines[i] != "" {
			lines[i] = ind + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func firstLine(t string) string {
	l, _, _ := strings.Cut(t, "\n")
	return strings.TrimSuffix(strings.TrimSpace(l), ":")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
