package source

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
	"github.com/authprobe/authprobe/internal/transport"
)

// maxCredentialReads caps the placements the code's reads propose: each
// is tried once with a real token, after the stronger evidence.
const maxCredentialReads = 4

// CredentialReads lists where the request-handling code reads a value it
// then uses to decide access: a header, cookie or query parameter
// (request.headers.get("X-Auth-Token"), request.args.get("api_key"),
// request.cookies["sid"]) whose value, or the name it is assigned to in
// the same function, is compared, looked up (a subscript key, `in`) or
// passed to a call (jwt.decode(token), TOKENS.get(token)). Each is a
// placement in login use: syntax with the line that reads it; names
// that carry a secret (key, token, ...) come first, then the others
// (Weak: tried after the default), headers before cookies before the
// query string in each; an Authorization read is "bearer",
// first. They are candidates: the scan keeps the one the
// API serves.
func CredentialReads(proj *flask.Project) []TokenHint {
	if proj == nil {
		return nil
	}
	type read struct {
		hint TokenHint
		rank int
	}
	var reads []read
	seen := map[string]bool{}
	// Where the dependency gates of an ASGI app read their credential
	// (FastAPI's APIKeyHeader(name=...), a Header parameter, HTTPBearer):
	// a read that decides, by construction, first.
	for _, r := range proj.CredentialReads() {
		use := r.In + ":" + r.Name
		switch {
		case r.In == "bearer":
			use = "bearer"
		case r.In == "basic" || r.In == "digest" || r.Name == "":
			continue // a login, or a place the analysis could not name
		case r.In == "header" && standardHeaders[normHeader(r.Name)]:
			continue
		}
		if seen[strings.ToLower(use)] {
			continue
		}
		seen[strings.ToLower(use)] = true
		what := r.In + " " + strconv.Quote(r.Name)
		if r.In == "bearer" {
			what = "a bearer token"
		}
		// Before the code's other reads; among them, as those: headers,
		// then cookies, then the query string (which logs keep).
		rank := map[string]int{"bearer": -1, "header": 0, "cookie": 1, "query": 2}[r.In] - 10
		reads = append(reads, read{TokenHint{Use: use, Why: fmt.Sprintf("%s:%d reads %s in a dependency that gates routes", r.File, r.Line, what)}, rank})
	}
	for _, m := range proj.Modules {
		if m.File == nil {
			continue
		}
		m.File.Visit(func(n *python.Node) {
			in, name, ok := requestRead(n)
			if !ok || in == "header" && standardHeaders[normHeader(name)] {
				return
			}
			use, rank := in+":"+name, map[string]int{"header": 0, "cookie": 1, "query": 2}[in]
			if in == "header" && strings.EqualFold(name, "Authorization") {
				// The default header, read by hand: its default scheme
				// first (a message or a setting names another), unless
				// the value read decides as it is, with no scheme word
				// stripped anywhere in the function: then the token goes
				// alone (jwt.decode(request.headers.get("Authorization"))).
				use, rank = "bearer", -1
				if (decides(n) || firstWordOnly(n)) && !stripsScheme(n) {
					use = "header:Authorization"
				}
			} else if !decides(n) {
				return
			}
			if seen[strings.ToLower(use)] {
				return
			}
			seen[strings.ToLower(use)] = true
			if !credentialName(name) {
				rank += 3
			}
			reads = append(reads, read{TokenHint{Use: use, Why: fmt.Sprintf("%s:%d reads %s %q", m.File.Path, n.Line, in, name), Weak: rank >= 3}, rank})
		}, "call", "subscript")
		m.File.Visit(func(n *python.Node) {
			in, names := iteratedReads(n)
			for _, name := range names {
				if in == "header" && standardHeaders[normHeader(name)] {
					continue
				}
				use, rank := in+":"+name, map[string]int{"header": 0, "cookie": 1, "query": 2}[in]
				if seen[strings.ToLower(use)] {
					continue
				}
				seen[strings.ToLower(use)] = true
				if !credentialName(name) {
					rank += 3
				}
				reads = append(reads, read{TokenHint{Use: use, Why: fmt.Sprintf("%s:%d reads %s %q", m.File.Path, n.Line, in, name), Weak: rank >= 3}, rank})
			}
		}, "for_statement")
	}
	sort.SliceStable(reads, func(i, j int) bool { return reads[i].rank < reads[j].rank })
	var out []TokenHint
	for i, r := range reads {
		if i == maxCredentialReads {
			break
		}
		out = append(out, r.hint)
	}
	return out
}

// iteratedReads is a loop over the request's headers, cookies or query
// parameters that picks one out by comparing its name with a literal:
// `for i in request.headers: if i[0] == 'Api-Key' and i[1] == KEY`, `for
// k, v in request.headers.items(): if k == "X-Key"`. The name compared is
// the value read; the loop decides with it.
func iteratedReads(loop *python.Node) (in string, names []string) {
	it := loop.ChildByField("right")
	if it == nil {
		return "", nil
	}
	d := it.DottedName()
	if it.Kind == "call" {
		if args := it.ChildByField("arguments"); args != nil && len(args.NamedChildren()) == 0 {
			d = strings.TrimSuffix(strings.TrimSuffix(it.ChildByField("function").DottedName(), ".items"), ".keys")
		}
	}
	d = strings.TrimPrefix(d, "flask.")
	switch d {
	case "request.headers":
		in = "header"
	case "request.cookies":
		in = "cookie"
	case "request.args":
		in = "query"
	default:
		return "", nil
	}
	// The loop variable that holds the name: the first of a pair, or
	// one whose [0] is the name (a header is a (name, value) tuple).
	left := loop.ChildByField("left")
	var v string
	indexed := false
	switch {
	case left == nil:
		return "", nil
	case left.Kind == "identifier":
		v, indexed = left.Text(), in == "header"
	case left.Kind == "pattern_list" || left.Kind == "tuple_pattern":
		if kids := left.NamedChildren(); len(kids) > 0 && kids[0].Kind == "identifier" {
			v = kids[0].Text()
		}
	}
	if v == "" {
		return "", nil
	}
	isName := func(c *python.Node) bool {
		if c.Kind == "call" && in == "header" {
			// name.lower() == "x-key": header names compare without case.
			if f := c.ChildByField("function").DottedName(); f == v+".lower" || f == v+".casefold" {
				return true
			}
		}
		if c.Kind == "identifier" {
			return c.Text() == v
		}
		if !indexed || c.Kind != "subscript" || c.ChildByField("value").Text() != v {
			return false
		}
		i, ok := c.ChildByField("subscript").IntValue()
		return ok && i == 0
	}
	body := loop.ChildByField("body")
	if body == nil {
		return "", nil
	}
	body.Walk(func(c *python.Node) bool {
		if c.Kind != "comparison_operator" {
			return true
		}
		kids := c.NamedChildren()
		if len(kids) != 2 {
			return true
		}
		for i, k := range kids {
			if isName(k) {
				if s, lit := kids[1-i].StringValue(); lit && s != "" && len(s) <= 64 && !strings.ContainsAny(s, " \t;=,:") {
					names = append(names, s)
				}
			}
		}
		return true
	})
	return in, names
}

// stripsScheme: the function reading the Authorization header handles a
// scheme word: it names Bearer (or Token, JWT) or splits, partitions or
// slices the value.
func stripsScheme(read *python.Node) bool {
	fn := read.Ancestor("function_definition")
	if fn == nil {
		return true
	}
	t := strings.ToLower(fn.Text())
	for _, w := range []string{"bearer", "'token ", "\"token ", "'jwt ", "\"jwt ", ".partition(", ".removeprefix(", "[7:]", "startswith("} {
		if strings.Contains(t, w) {
			return true
		}
	}
	// A split strips a scheme unless only its first word is ever taken:
	// that word is the whole value of a token sent bare
	// (auth_header.split(" ")[0]).
	return len(anySplit.FindAllStringIndex(t, -1)) > len(firstSplit.FindAllStringIndex(t, -1))
}

var (
	anySplit   = regexp.MustCompile(`\.r?split\(`)
	firstSplit = regexp.MustCompile(`\.r?split\([^()]*\)\s*\[\s*0\s*\]`)
)

// firstWordOnly: the function reading the Authorization header takes the
// first word of the value (h.split(" ")[0]) and never another: the token
// is the value as sent, with no scheme before it.
func firstWordOnly(read *python.Node) bool {
	fn := read.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	t := strings.ToLower(fn.Text())
	n := len(firstSplit.FindAllStringIndex(t, -1))
	return n > 0 && n == len(anySplit.FindAllStringIndex(t, -1))
}

func normHeader(name string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(name))
}

// decides: the value read is used to decide something in its function:
// the read itself, or the plain name it is assigned to, sits in a
// comparison, a subscript key or a call's arguments.
func decides(read *python.Node) bool {
	fn := read.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	if usedAt(read, fn) {
		return true
	}
	asg := read.Ancestor("assignment")
	if asg == nil || !fn.Contains(asg) || !asg.ChildByField("right").Contains(read) {
		return false
	}
	left := asg.ChildByField("left")
	if left == nil || left.Kind != "identifier" {
		return false
	}
	v, hit := left.Text(), false
	fn.Walk(func(c *python.Node) bool {
		if !hit && c.Kind == "identifier" && c.Text() == v && c.Start >= asg.End && usedAt(c, fn) {
			hit = true
		}
		return !hit
	})
	return hit
}

// usedAt: n, inside fn, is an operand of a comparison, a subscript's key
// or an argument of a call other than its own.
func usedAt(n, fn *python.Node) bool {
	for p := n.Parent; p != nil && p != fn; p = p.Parent {
		switch p.Kind {
		case "comparison_operator":
			return true
		case "argument_list":
			return true
		case "subscript":
			if k := p.ChildByField("subscript"); k != nil && k.Contains(n) {
				return true
			}
		case "expression_statement", "assignment", "block", "if_statement", "return_statement":
			return false
		}
	}
	return false
}

// TransportOptions fills the source's part of token-placement inference:
// the JWT settings (Hints), then the credential reads (Reads, and Late for
// names that do not look like a credential). The scan and fix's replay
// both use it, so they send the token the same way.
func TransportOptions(proj *flask.Project, o *transport.Options) {
	for _, h := range TokenHints(proj) {
		o.Hints = append(o.Hints, transport.Candidate{Use: h.Use, Why: "the source's " + h.Why})
	}
	for _, h := range CredentialReads(proj) {
		c := transport.Candidate{Use: h.Use, Why: "the source " + h.Why}
		if h.Weak {
			o.Late = append(o.Late, c)
		} else {
			o.Reads = append(o.Reads, c)
		}
	}
}
