package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixClientIdentity drops the client-controlled value a handler takes the
// caller's identity from when the code already falls back to the
// verified one: `name = request.headers.get("X-User", user)` becomes
// `name = user`, `request.cookies.get("user") or caller()` becomes
// `caller()`. A client value with no verified fallback (a role read from
// a header) is listed: which verified attribute replaces it needs a person.
func fixClientIdentity(s *site) (*attempt, string) {
	for _, as := range s.onLine("assignment") {
		right := as.ChildByField("right")
		if right == nil || as.Line > s.line {
			continue
		}
		verified := ""
		switch right.Kind {
		case "call":
			if clientRead(right) {
				if a := args(right); len(a) == 2 && a[1].Kind != "keyword_argument" {
					verified = a[1].Text()
					if !serverSide(a[1]) {
						verified = ""
					}
				}
			}
		case "boolean_operator":
			cs := right.NamedChildren()
			if len(cs) == 2 && strings.Contains(right.Text(), " or ") && clientRead(cs[0].Unparen()) && serverSide(cs[1]) {
				verified = cs[1].Text()
			}
		}
		if verified == "" {
			continue
		}
		return &attempt{edits: []Edit{{Start: right.Start, End: right.End, New: verified}},
			what: "the identity comes from the verified credential (" + verified + "), no longer from the request"}, ""
	}
	return nil, "no client-controlled value with a verified fallback on " + s.f.Location.String() + "; which verified attribute replaces it needs a person"
}

// clientRead reports whether a call reads a request header, cookie, query
// or form field: request.headers.get(...), request.cookies.get(...), ...
func clientRead(n *python.Node) bool {
	if n == nil || n.Kind != "call" {
		return false
	}
	name := callName(n)
	for _, src := range []string{"request.headers.get", "request.cookies.get", "request.args.get", "request.values.get", "request.form.get"} {
		if name == src {
			return true
		}
	}
	return false
}

// serverSide reports whether an expression holds no request data: a name
// or a call whose text does not read the request.
func serverSide(n *python.Node) bool {
	switch n.Kind {
	case "identifier", "call":
		return !strings.Contains(n.Text(), "request")
	}
	return false
}
