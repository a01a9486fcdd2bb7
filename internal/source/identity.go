package source

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// IdentityRead is a value of the request the code reads that may say who
// the caller is: a header, cookie or query parameter it takes with
// request.headers.get("X-User-Id"), request.cookies["user"],
// request.args.get("username"), with the string literals the code
// compares that value with ("admin"). It is a candidate: the scan proves
// or drops it against the API.
type IdentityRead struct {
	// In is header, cookie or query.
	In   string
	Name string
	// Literals are the strings the value is compared with (==, !=, in).
	Literals []string
	// Where is file:line of the first read.
	Where string
	// Encoding and Field say how the code builds the value when it sets
	// it (a cookie): "base64-json" with Field "username" is
	// base64(json.dumps({"username": name})); "" is the value itself.
	Encoding, Field string
}

// standardHeaders are request headers that never name a caller: the
// transport's own, and proxy bookkeeping that is not a user.
var standardHeaders = map[string]bool{
	"accept": true, "acceptencoding": true, "acceptlanguage": true, "contenttype": true,
	"contentlength": true, "useragent": true, "host": true, "origin": true, "referer": true,
	"cookie": true, "xforwardedfor": true, "xforwardedproto": true, "xforwardedhost": true,
	"xforwardedport": true, "xrealip": true, "xrequestedwith": true, "ifnonematch": true,
	"ifmodifiedsince": true, "cachecontrol": true, "connection": true, "xrequestid": true,
	"xcorrelationid": true, "range": true, "forwarded": true,
}

// credentialName: a name that carries a secret (a key, a token, a
// password), which the API-key and token checks test, not a claim of who
// the caller is.
func credentialName(name string) bool {
	l := strings.ToLower(name)
	if l == "authorization" {
		return true
	}
	for _, w := range []string{"key", "token", "secret", "jwt", "password", "passwd", "signature", "session", "csrf", "nonce"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// IdentityReads lists the headers, cookies and query parameters the code
// reads from the request that are neither standard headers nor
// credentials, with the literals each is compared with. Cookies named
// like a session are kept only when the project does not sign them with
// Flask's own session (request.cookies, not flask.session).
func IdentityReads(proj *flask.Project) []IdentityRead {
	if proj == nil {
		return nil
	}
	byKey := map[string]*IdentityRead{}
	var order []string
	for _, m := range proj.Modules {
		if m.File == nil {
			continue
		}
		m.File.Visit(func(n *python.Node) {
			in, name, ok := requestRead(n)
			if !ok {
				return
			}
			norm := strings.ToLower(strings.Map(func(r rune) rune {
				if r == '-' || r == '_' {
					return -1
				}
				return r
			}, name))
			if in == "header" && standardHeaders[norm] {
				return
			}
			if credentialName(name) && !(in == "cookie" && sessionCookie(name)) {
				return
			}
			key := in + " " + strings.ToLower(name)
			r := byKey[key]
			if r == nil {
				r = &IdentityRead{In: in, Name: name, Where: fmt.Sprintf("%s:%d", m.File.Path, n.Line)}
				byKey[key] = r
				order = append(order, key)
			}
			for _, lit := range comparedLiterals(n) {
				if !contains(r.Literals, lit) {
					r.Literals = append(r.Literals, lit)
				}
			}
		}, "call", "subscript")
	}
	for _, m := range proj.Modules {
		if m.File == nil {
			continue
		}
		m.File.Visit(func(n *python.Node) {
			name, field, ok := encodedCookie(n)
			if !ok {
				return
			}
			if r := byKey["cookie "+strings.ToLower(name)]; r != nil && r.Encoding == "" {
				r.Encoding, r.Field = "base64-json", field
			}
		}, "call")
	}
	for _, m := range proj.Modules {
		if m.File == nil {
			continue
		}
		m.File.Visit(func(n *python.Node) {
			for _, key := range mergedOver(n) {
				k := "body " + strings.ToLower(key)
				if byKey[k] == nil {
					byKey[k] = &IdentityRead{In: "body", Name: key, Where: fmt.Sprintf("%s:%d", m.File.Path, n.Line)}
					order = append(order, k)
				}
			}
		}, "call")
	}
	out := make([]IdentityRead, 0, len(order))
	for _, k := range order {
		sort.Strings(byKey[k].Literals)
		out = append(out, *byKey[k])
	}
	return out
}

// requestRead: n reads a named header, cookie or query parameter of
// Flask's request object (request.headers.get("X"), request.cookies["X"]).
func requestRead(n *python.Node) (in, name string, ok bool) {
	var d string
	var arg *python.Node
	switch n.Kind {
	case "call":
		d = n.ChildByField("function").DottedName()
		if !strings.HasSuffix(d, ".get") {
			return "", "", false
		}
		d = strings.TrimSuffix(d, ".get")
		args := n.ChildByField("arguments")
		if args == nil || len(args.NamedChildren()) == 0 {
			return "", "", false
		}
		arg = args.NamedChildren()[0]
	case "subscript":
		d = n.ChildByField("value").DottedName()
		arg = n.ChildByField("subscript")
	default:
		return "", "", false
	}
	if !strings.HasPrefix(d, "request.") && !strings.HasPrefix(d, "flask.request.") {
		return "", "", false
	}
	switch d[strings.LastIndex(d, ".")+1:] {
	case "headers":
		in = "header"
	case "cookies":
		in = "cookie"
	case "args":
		in = "query"
	default:
		return "", "", false
	}
	name, ok = arg.StringValue()
	if !ok || name == "" || len(name) > 64 {
		return "", "", false
	}
	return in, name, true
}

// comparedLiterals are the short string literals the read value is
// compared with: directly (request.headers.get("u") == "admin") or through
// the name it is assigned to in the same function (u = ...; if u ==
// "admin").
func comparedLiterals(read *python.Node) []string {
	var out []string
	add := func(cmp *python.Node, operand func(*python.Node) bool) {
		hit := false
		var lits []string
		for _, c := range cmp.NamedChildren() {
			if operand(c) {
				hit = true
				continue
			}
			collectStrings(c, &lits)
		}
		if hit {
			out = append(out, lits...)
		}
	}
	if cmp := read.Ancestor("comparison_operator"); cmp != nil && read.Ancestor("function_definition") == cmp.Ancestor("function_definition") {
		add(cmp, func(c *python.Node) bool { return c.Contains(read) })
	}
	asg := read.Ancestor("assignment")
	fn := read.Ancestor("function_definition")
	if asg == nil || fn == nil || !fn.Contains(asg) {
		return out
	}
	left := asg.ChildByField("left")
	if left == nil || left.Kind != "identifier" {
		return out
	}
	v := left.Text()
	fn.Walk(func(c *python.Node) bool {
		if c.Kind == "comparison_operator" {
			add(c, func(x *python.Node) bool { return x.Kind == "identifier" && x.Text() == v })
		}
		return true
	})
	return out
}

// collectStrings gathers the short string literals of an operand (a
// literal, or a tuple, list or set of them).
func collectStrings(n *python.Node, into *[]string) {
	if s, ok := n.StringValue(); ok {
		if s != "" && len(s) <= 64 && !strings.ContainsAny(s, " \n") {
			*into = append(*into, s)
		}
		return
	}
	switch n.Kind {
	case "tuple", "list", "set", "parenthesized_expression":
		for _, c := range n.NamedChildren() {
			collectStrings(c, into)
		}
	}
}

// sessionCookie: a cookie named like a session and not like a token or
// key: if the code reads it itself, the session may be a plain value.
func sessionCookie(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "session") && !strings.Contains(l, "key") && !strings.Contains(l, "token") && !strings.Contains(l, "jwt")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
