package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// headerParam names, per rule, the token header field the verifier takes
// its key from.
var headerParam = map[string]string{
	"jwt.jwk-header-trusted": "jwk",
	"jwt.jku-trusted":        "jku", "jwt.jku-fetched": "jku",
	"jwt.x5u-trusted": "x5u", "jwt.x5u-fetched": "x5u",
}

// fixHeaderKey makes the verifier use its configured key only, never one
// the token names in its header: a branch taken when the header carries
// the field (`if "jwk" in header: key = ... else: key = local`) gives way
// to its else; a key function that reads the field and falls back to the
// local key when it is absent (`url = header.get("x5u"); if not url:
// return local(...)`) returns the local key always. The verifier at the
// cause line is searched, then the functions of the file it calls.
func fixHeaderKey(s *site) (*attempt, string) {
	param := headerParam[s.f.Rule]
	fn := s.enclosingFunc()
	if fn == nil {
		return nil, "no function around " + s.f.Location.String()
	}
	for _, f := range append([]*python.Node{fn}, calledFuncs(s.file, fn)...) {
		if e, what, ok := headerBranch(s.src(), f, param); ok {
			return &attempt{edits: []Edit{e}, what: what}, ""
		}
	}
	return nil, "no branch on the token's " + param + " header with a configured-key path to keep (in the verifier or the functions it calls)"
}

// calledFuncs returns the top-level functions of the file that fn calls
// by name.
func calledFuncs(f *python.File, fn *python.Node) []*python.Node {
	defs := map[string]*python.Node{}
	for _, st := range f.Root.NamedChildren() {
		d := st
		if d.Kind == "decorated_definition" {
			d = d.ChildByField("definition")
		}
		if d != nil && d.Kind == "function_definition" {
			defs[d.ChildByField("name").Text()] = d
		}
	}
	var out []*python.Node
	seen := map[string]bool{}
	fn.Walk(func(n *python.Node) bool {
		if n.Kind == "call" {
			if c := n.ChildByField("function"); c != nil && c.Kind == "identifier" && defs[c.Text()] != nil && !seen[c.Text()] && defs[c.Text()] != fn {
				seen[c.Text()] = true
				out = append(out, defs[c.Text()])
			}
		}
		return true
	})
	return out
}

// headerBranch finds, in fn's body, the branch that takes a key from the
// header field param, and the edit keeping the configured-key path.
func headerBranch(src []byte, fn *python.Node, param string) (Edit, string, bool) {
	body := fn.ChildByField("body")
	sts := body.NamedChildren()
	for i, st := range sts {
		// if "jwk" in header: ... else: ...
		if st.Kind == "if_statement" && namesField(st.ChildByField("condition"), param) && !strings.HasPrefix(strings.TrimSpace(st.ChildByField("condition").Text()), "not ") {
			for _, c := range st.Children() {
				if c.Field() == "alternative" && c.Kind == "else_clause" {
					e, why := dropBranch(src, st)
					if why == "" {
						return e, "the key comes from the configured keys only: the branch taking it from the token's " + param + " header removed", true
					}
				}
			}
		}
		// v = header.get("x5u"); if not v: return local(...); <remote>
		if st.Kind != "expression_statement" || i+1 >= len(sts) {
			continue
		}
		as := st.NamedChildren()[0]
		if as.Kind != "assignment" || as.ChildByField("left").Kind != "identifier" || !namesField(as.ChildByField("right"), param) {
			continue
		}
		v := as.ChildByField("left").Text()
		next := sts[i+1]
		if next.Kind != "if_statement" || strings.Join(strings.Fields(next.ChildByField("condition").Text()), " ") != "not "+v {
			continue
		}
		inner := next.ChildByField("consequence").NamedChildren()
		if len(inner) != 1 || inner[0].Kind != "return_statement" || len(inner[0].NamedChildren()) != 1 {
			continue
		}
		ind := indentOf(src, st.Start)
		return Edit{Start: lineStart(src, st.Start), End: lineEnd(src, body.End-1),
				New: ind + inner[0].Text() + "\n"},
			fn.ChildByField("name").Text() + " returns the configured key always: the key the token's " + param + " header points to is never fetched", true
	}
	return Edit{}, "", false
}

// namesField reports whether an expression names the header field: the
// string literal "jku" in a test or a .get("jku") / ["jku"] read.
func namesField(n *python.Node, param string) bool {
	if n == nil {
		return false
	}
	found := false
	n.Walk(func(c *python.Node) bool {
		if v, ok := c.StringValue(); ok && v == param {
			found = true
		}
		return !found
	})
	return found
}

// fixKidPath allow-lists the kid a verifier turns into a key file path:
// before the file named by os.path.join(DIR, kid) is opened, a kid that is
// not one of DIR's entries is refused with the key error the module
// already raises.
func fixKidPath(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		if callName(call) != "os.path.join" {
			continue
		}
		a := positional(call)
		if len(a) != 2 || a[1].Kind != "identifier" {
			return nil, "the key path is not os.path.join(DIR, kid) with kid a plain name"
		}
		exc := keyError(s.file)
		if exc == "" {
			return nil, "the module raises no jwt key or token error to refuse an unknown kid with"
		}
		st := statementOf(call)
		ind := indentOf(s.src(), st.Start)
		kid, dir := a[1].Text(), a[0].Text()
		guard := ind + "if " + kid + " not in os.listdir(" + dir + "):\n" + ind + "    raise " + exc + "(\"unknown kid\")\n"
		at := lineStart(s.src(), st.Start)
		edits := []Edit{{Start: at, End: at, New: guard}}
		if e, ok := importIfMissing(s.file, "os"); ok {
			edits = append(edits, e)
		}
		return &attempt{edits: edits, what: "the kid must name a file of " + dir + " (an allow-list of the key directory): no path outside it is read"}, ""
	}
	return nil, "no os.path.join(DIR, kid) on " + s.f.Location.String()
}

// fixKidSQL binds the kid as a query parameter instead of formatting it
// into the SQL: execute(f"... = '{kid}'") becomes execute("... = ?",
// (kid,)) for sqlite3.
func fixKidSQL(s *site) (*attempt, string) {
	if !importsModule(s.file, "sqlite3") {
		return nil, "the database module is not sqlite3: its parameter style needs a person"
	}
	for _, call := range s.onLine("call") {
		f := call.ChildByField("function")
		if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "execute" {
			continue
		}
		a := args(call)
		if len(a) != 1 || a[0].Kind != "string" || !strings.HasPrefix(a[0].Text(), "f") {
			return nil, "the query is not one f-string argument"
		}
		sql, names, ok := fstringParams(a[0])
		if !ok {
			return nil, "the f-string's placeholders are not each a quoted name ('{kid}')"
		}
		return &attempt{edits: []Edit{{Start: a[0].Start, End: a[0].End, New: quote(sql) + ", (" + strings.Join(names, ", ") + ",)"}},
			what: "the kid is bound as a query parameter, never formatted into the SQL"}, ""
	}
	return nil, "no execute(...) call on " + s.f.Location.String()
}

// fstringParams turns f"... '{a}' ..." into "... ? ..." and [a]: each
// interpolation must be a plain name inside single quotes.
func fstringParams(n *python.Node) (string, []string, bool) {
	t := n.Text()[1:]
	if len(t) < 2 || t[0] != '"' && t[0] != '\'' || strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, "'''") {
		return "", nil, false
	}
	body := t[1 : len(t)-1]
	var names []string
	var b strings.Builder
	for {
		i := strings.IndexByte(body, '{')
		if i < 0 {
			b.WriteString(body)
			break
		}
		j := strings.IndexByte(body[i:], '}')
		if j < 0 {
			return "", nil, false
		}
		name := body[i+1 : i+j]
		if !isIdent(name) || i == 0 || body[i-1] != '\'' || i+j+1 >= len(body) || body[i+j+1] != '\'' {
			return "", nil, false
		}
		b.WriteString(body[:i-1] + "?")
		names = append(names, name)
		body = body[i+j+2:]
	}
	if strings.ContainsAny(b.String(), `"\`) || len(names) == 0 {
		return "", nil, false
	}
	return b.String(), names, true
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r != '_' && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// keyError returns the jwt exception the module raises for a key or
// token it refuses (jwt.InvalidKeyError first), or "".
func keyError(f *python.File) string {
	seen := map[string]bool{}
	f.Root.Walk(func(n *python.Node) bool {
		if n.Kind == "raise_statement" {
			if c := n.NamedChildren(); len(c) > 0 && c[0].Kind == "call" {
				if name := callName(c[0]); strings.HasPrefix(name, "jwt.") && strings.HasSuffix(name, "Error") {
					seen[name] = true
				}
			}
		}
		return true
	})
	for _, want := range []string{"jwt.InvalidKeyError", "jwt.InvalidTokenError", "jwt.InvalidSignatureError"} {
		if seen[want] {
			return want
		}
	}
	return ""
}

// statementOf returns the statement (a direct child of a block or the
// module) holding n.
func statementOf(n *python.Node) *python.Node {
	for n.Parent != nil && n.Parent.Kind != "block" && n.Parent.Kind != "module" {
		n = n.Parent
	}
	return n
}
