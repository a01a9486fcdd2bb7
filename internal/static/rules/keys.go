package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

var headerNames = map[string]bool{"header": true, "hdr": true, "headers": true, "unverified": true,
	"unverified_header": true, "jwt_header": true, "token_header": true, "jose_header": true}

// fromTokenHeader reports an expression derived from the token's
// unverified header (get_unverified_header, or a variable named header
// that is not request.headers).
func fromTokenHeader(n *python.Node, depth int) bool {
	n = n.Unparen()
	if n == nil || depth > 5 {
		return false
	}
	if strings.Contains(n.Text(), "get_unverified_header") {
		return true
	}
	found := false
	n.Walk(func(x *python.Node) bool {
		if found || x.Kind != "identifier" || x.Parent != nil && x.Parent.Kind == "attribute" && x.Field() == "attribute" {
			return !found
		}
		if headerNames[x.Text()] && !strings.HasPrefix(x.Parent.Text(), "request.") {
			found = true
		} else if fn := x.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, x.Text(), x.Start); rhs != nil && !rhs.Contains(x) {
				found = fromTokenHeader(rhs, depth+1)
			}
		}
		return !found
	})
	return found
}

// readsMember reports "H.get('m')" or "H['m']" (or "'m' in H") on a token
// header anywhere in n.
func readsMember(n *python.Node, member string) bool {
	found := false
	n.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "call":
			fn := x.ChildByField("function")
			if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
				if s, ok := positional(x, 0).StringValue(); ok && s == member && fromTokenHeader(fn.ChildByField("object"), 0) {
					found = true
				}
			}
		case "subscript":
			if s, ok := x.ChildByField("subscript").StringValue(); ok && s == member && fromTokenHeader(x.ChildByField("value"), 0) {
				found = true
			}
		}
		return !found
	})
	return found
}

// kidVar reports an expression carrying the header's kid (directly or
// through local variables).
func kidVar(n *python.Node, depth int) bool {
	if n == nil || depth > 4 {
		return false
	}
	if readsMember(n, "kid") {
		return true
	}
	found := false
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "identifier" && !found {
			if fn := x.Ancestor("function_definition"); fn != nil {
				if rhs := flask.LocalAssign(fn, x.Text(), x.Start); rhs != nil && !rhs.Contains(x) {
					found = kidVar(rhs, depth+1)
				}
			}
		}
		return !found
	})
	return found
}

// guardedBefore: an if statement before use in the same function that
// tests one of the names in n and rejects (raise/abort/401) — an allowlist
// or format check.
func guardedBefore(ps *Pass, use, n *python.Node) bool {
	fn := use.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	names := map[string]bool{}
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "identifier" {
			names[x.Text()] = true
		}
		return true
	})
	guarded := false
	for _, st := range fn.File.OfKind("if_statement") {
		if !fn.Contains(st) || st.Start >= use.Start || st.Contains(use) {
			continue
		}
		st.ChildByField("condition").Walk(func(x *python.Node) bool {
			if x.Kind == "identifier" && names[x.Text()] {
				guarded = guarded || denies(ps.Project, st.ChildByField("consequence"))
			}
			return !guarded
		})
	}
	return guarded
}

func runKeys(ps *Pass) {
	for _, c := range ps.Calls {
		fnNode := c.Node.ChildByField("function")
		d := fnNode.DottedName()
		last := d[strings.LastIndex(d, ".")+1:]
		if fnNode.Kind == "attribute" {
			last = fnNode.ChildByField("attribute").Text()
		}
		switch {
		case d == "open" || d == "os.path.join" || d == "Path" || d == "pathlib.Path" || d == "send_file" || d == "os.path.exists":
			for _, a := range c.Args.NamedChildren() {
				if kidVar(a, 0) && !guardedBefore(ps, c.Node, a) {
					ps.Report("py.jwt-kid-path", c.Node, finding.Firm, "the token's kid becomes part of a file path: ../ picks any file as the key", nil)
					break
				}
			}
		case last == "execute" || last == "executemany" || last == "executescript" || d == "text" || d == "sqlalchemy.text":
			if q := c.Arg(0, "\x00"); q != nil && interpolates(q) && kidVar(q, 0) && !guardedBefore(ps, c.Node, q) {
				ps.Report("py.jwt-kid-sql", c.Node, finding.Firm, "the token's kid is formatted into SQL: a quote in kid chooses the key", nil)
			}
		}
		if lib := jwtLib(c.Q, "decode"); lib == "pyjwt" || lib == "jose" {
			checkKeySource(ps, c)
		}
	}
}

// interpolates: an f-string, "+" concatenation, % formatting or .format().
func interpolates(n *python.Node) bool { return interpolatesAt(n, 0) }

func interpolatesAt(n *python.Node, depth int) bool {
	n = n.Unparen()
	if n == nil || depth > maxFollow {
		return false
	}
	switch n.Kind {
	case "string":
		for _, c := range n.Children() {
			if c.Kind == "interpolation" {
				return true
			}
		}
	case "binary_operator":
		return true
	case "call":
		fn := n.ChildByField("function")
		return fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "format"
	case "identifier":
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return interpolatesAt(rhs, depth+1)
			}
		}
	}
	return false
}

// checkKeySource: the verification key comes from the token header (an
// embedded jwk, or a jku / x5u URL that is fetched), and nothing pins it.
func checkKeySource(ps *Pass, c Call) {
	key := c.Arg(1, "key")
	if key == nil {
		return
	}
	fn := c.Node.Ancestor("function_definition")
	srcs := []*python.Node{key}
	if key.Kind == "identifier" && fn != nil {
		srcs = append(srcs, allAssigns(fn, key.Text())...)
	}
	member := ""
	for _, s := range srcs {
		if m := headerKeyMember(ps, s, 0); m != "" {
			member = m
			break
		}
	}
	if member == "" || guardedBefore(ps, c.Node, key) {
		return
	}
	ps.Report("py.jwt-key-from-header", c.Node, finding.Firm, "the verification key comes from the token's own "+member+" header: an attacker signs with a key they choose", nil)
}

// headerKeyMember names the header member (jwk, jku, x5u) an expression
// builds a key from, also inside a project function it calls.
func headerKeyMember(ps *Pass, n *python.Node, depth int) string {
	if n == nil || depth > 3 {
		return ""
	}
	for _, m := range []string{"jwk", "jku", "x5u", "x5c"} {
		if readsMember(n, m) {
			return m
		}
	}
	out := ""
	n.Walk(func(x *python.Node) bool {
		if x.Kind == "call" && out == "" {
			if _, def := ps.Project.ResolveFunc(ps.Project.ModuleOf(x), x.ChildByField("function").DottedName()); def != nil && !def.Contains(n) {
				out = headerKeyMember(ps, def.ChildByField("body"), depth+1)
			}
		}
		return out == ""
	})
	return out
}

func allAssigns(fn *python.Node, name string) []*python.Node {
	var out []*python.Node
	for _, a := range fn.File.OfKind("assignment") {
		// x: str (an annotation without a value) assigns nothing.
		if fn.Contains(a) && a.ChildByField("left").Text() == name && a.Ancestor("function_definition") == fn && a.ChildByField("right") != nil {
			out = append(out, a.ChildByField("right"))
		}
	}
	return out
}

// unpackAssigns are the right-hand sides that the function unpacks into
// name among other targets (user, token = parts; (_, token) = parts).
func unpackAssigns(fn *python.Node, name string) []*python.Node {
	var out []*python.Node
	for _, a := range fn.File.OfKind("assignment") {
		left := a.ChildByField("left")
		if !fn.Contains(a) || a.Ancestor("function_definition") != fn || a.ChildByField("right") == nil {
			continue
		}
		switch left.Kind {
		case "pattern_list", "tuple_pattern", "list_pattern":
		default:
			continue
		}
		for _, t := range left.NamedChildren() {
			if t.Kind == "identifier" && t.Text() == name {
				out = append(out, a.ChildByField("right"))
				break
			}
		}
	}
	return out
}
