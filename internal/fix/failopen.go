package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// failOpen returns the edits that make the except clauses around a decode
// refuse instead of carrying on: an except that catches a token error and
// neither returns, raises nor aborts gets the function's own refusal (its
// last `return ..., 401/403`), and PyJWT's DecodeError is widened to
// InvalidTokenError so that an expired token is refused too, not a 500.
// It returns nil, "" when nothing around the call fails open.
func failOpen(s *site, call *python.Node) ([]Edit, string) {
	try := call.Ancestor("try_statement")
	if try == nil || !try.ChildByField("body").Contains(call) {
		return nil, ""
	}
	var edits []Edit
	for _, ex := range try.NamedChildren() {
		if ex.Kind != "except_clause" {
			continue
		}
		body := ex.ChildByField("body")
		if body == nil {
			for _, c := range ex.NamedChildren() {
				if c.Kind == "block" {
					body = c
				}
			}
		}
		if body == nil || denies(body) {
			continue
		}
		caught := caughtType(ex)
		if caught == nil || !tokenError(caught.Text()) {
			continue
		}
		refusal := lastRefusal(call.Ancestor("function_definition"))
		if refusal == nil {
			return nil, "an except around the decode carries on without refusing, and the function has no refusal (return ..., 401) to use"
		}
		if body.Line == ex.Line {
			return nil, "the except body is on the except line"
		}
		ind := indentOf(s.src(), body.Start)
		edits = append(edits, Edit{Start: lineStart(s.src(), body.Start), End: lineEnd(s.src(), body.End-1), New: ind + refusal.Text() + "\n"})
		if t := caught.Text(); strings.HasSuffix(t, "DecodeError") && strings.HasPrefix(t, "jwt.") {
			edits = append(edits, Edit{Start: caught.Start, End: caught.End, New: "jwt.InvalidTokenError"})
		}
	}
	return edits, ""
}

// caughtType returns the exception type node of an except clause.
func caughtType(ex *python.Node) *python.Node {
	for _, c := range ex.NamedChildren() {
		switch c.Kind {
		case "identifier", "attribute", "tuple":
			return c
		case "as_pattern":
			return c.NamedChildren()[0]
		}
	}
	return nil
}

// tokenError reports whether an except catches token errors (PyJWT,
// python-jose, authlib) or everything.
func tokenError(t string) bool {
	for _, w := range []string{"DecodeError", "InvalidTokenError", "PyJWTError", "JWTError", "JoseError", "Exception", "ValueError"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// denies reports whether a block returns, raises or aborts somewhere.
func denies(block *python.Node) bool {
	found := false
	block.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "return_statement", "raise_statement":
			found = true
		case "call":
			name := callName(n)
			found = found || name == "abort" || strings.HasSuffix(name, ".abort")
		}
		return !found
	})
	return found
}

// lastRefusal returns the function's last `return X, 401` (or 403).
func lastRefusal(fn *python.Node) *python.Node {
	var last *python.Node
	fn.Walk(func(n *python.Node) bool {
		if n.Kind == "return_statement" {
			t := n.Text()
			if strings.HasSuffix(t, ", 401") || strings.HasSuffix(t, ", 403") {
				last = n
			}
		}
		return true
	})
	return last
}

// fixFailOpen makes the except clauses around the decode on the cause line
// refuse.
func fixFailOpen(s *site) (*attempt, string) {
	for _, call := range s.onLine("call") {
		if !isDecode(callName(call)) {
			continue
		}
		edits, why := failOpen(s, call)
		if len(edits) == 0 {
			if why == "" {
				why = "no except clause around the decode carries on without refusing"
			}
			return nil, why
		}
		return &attempt{edits: edits, what: "a token error is refused with the function's own refusal"}, ""
	}
	return nil, "no decode call on " + s.f.Location.String()
}
