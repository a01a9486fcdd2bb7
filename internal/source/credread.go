package source

import (
	"fmt"
	"sort"
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
				// first (a message or a setting names another).
				use, rank = "bearer", -1
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
