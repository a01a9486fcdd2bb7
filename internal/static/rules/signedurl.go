package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// A pre-signed link carries its signature in the query string by design:
// the server computes a MAC over the request's own URL (its path, query
// string or parameters, often with an expiry) and checks the parameter
// against it. The value grants that one URL, not every request, so it is
// not a standing credential in the query. Where the check itself is not
// constant-time, py.apikey-timing-compare still reports the comparison.

// urlSignature: the query value read at read is checked (==, != or a
// constant-time call) against a MAC computed over the request's URL.
func (ps *Pass) urlSignature(read *python.Node) bool {
	fn := read.Ancestor("function_definition")
	if fn == nil {
		return false
	}
	name := ""
	for a := read.Parent; a != nil && a != fn; a = a.Parent {
		if a.Kind == "assignment" {
			if l := a.ChildByField("left"); l.Kind == "identifier" && a.ChildByField("right").Contains(read) {
				name = l.Text()
			}
			break
		}
	}
	holds := func(x *python.Node) bool {
		x = x.Unparen()
		return x.Contains(read) || name != "" && x.Kind == "identifier" && x.Text() == name
	}
	found := false
	fn.ChildByField("body").Walk(func(x *python.Node) bool {
		if found {
			return false
		}
		var pair []*python.Node
		switch {
		case x.Kind == "comparison_operator" && (x.HasChildKind("==") || x.HasChildKind("!=")):
			pair = x.NamedChildren()
		case x.Kind == "call" && ps.constantTimeCall(x):
			pair = x.ChildByField("arguments").NamedChildren()
		}
		if len(pair) == 2 {
			for i := range pair {
				if holds(pair[i]) && ps.macOverURL(pair[1-i], 0) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// macOverURL: n is a MAC or hash whose message takes the request's URL,
// directly, through locals, or through a project function given the URL
// (sign(user.api_key, request.path, expires)).
func (ps *Pass) macOverURL(n *python.Node, depth int) bool {
	mac, url := ps.macParts(n, depth)
	return mac && url
}

// macParts reports whether the expression n computes a MAC (an hmac or
// hashlib call, or a project function that makes one) and whether it
// reads the request's URL, following locals to a bounded depth.
func (ps *Pass) macParts(n *python.Node, depth int) (mac, url bool) {
	n = n.Unparen()
	if n == nil || depth > 3 {
		return false, false
	}
	fn := n.Ancestor("function_definition")
	n.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "attribute":
			if requestURL(x) {
				url = true
				return false
			}
		case "identifier":
			if x.Parent != nil && x.Parent.Kind == "attribute" && x.Field() == "attribute" || fn == nil {
				return true
			}
			if rhs := localValue(fn, x); rhs != nil {
				m, u := ps.macParts(rhs, depth+1)
				mac, url = mac || m, url || u
			}
		case "call":
			d := x.ChildByField("function").DottedName()
			if strings.HasPrefix(d, "hmac.") || strings.HasPrefix(d, "hashlib.") {
				mac = true
			} else if def := calleeDef(ps.Project, ps.Project.ModuleOf(x), x); def != nil && !def.Contains(x) && makesMAC(def) {
				mac = true
			}
		}
		return true
	})
	return mac, url
}

// localValue is what a local name was last assigned before its use x.
func localValue(fn, x *python.Node) *python.Node {
	if rhs := flask.LocalAssign(fn, x.Text(), x.Start); rhs != nil && !rhs.Contains(x) {
		return rhs
	}
	return nil
}

// requestURL: x reads the request's URL as a whole (its path or its raw
// query string): a MAC over it binds the signature to that URL. One
// parameter (request.args["user"]) binds nothing: a MAC of a user id is a
// standing per-user token.
func requestURL(x *python.Node) bool {
	d := strings.TrimPrefix(x.DottedName(), "flask.")
	switch d {
	case "request.path", "request.full_path", "request.url", "request.base_url", "request.query_string":
		return true
	}
	return false
}

// makesMAC: the function's body computes an hmac or hashlib digest.
func makesMAC(def *python.Node) bool {
	found := false
	def.ChildByField("body").Walk(func(x *python.Node) bool {
		if x.Kind == "call" {
			d := x.ChildByField("function").DottedName()
			found = found || strings.HasPrefix(d, "hmac.") || strings.HasPrefix(d, "hashlib.")
		}
		return !found && (x.Kind != "function_definition" || x == def)
	})
	return found
}

// reportQueryCredential reports the credential name read from the query
// at read; a pre-signed URL's signature is a review item.
func reportQueryCredential(ps *Pass, read *python.Node, name string) {
	msg := "the credential \"" + name + "\" is read from the query string, which logs and Referer headers keep"
	if !ps.urlSignature(read) {
		before := len(ps.Findings)
		ps.ReportFlow("py.credential-in-query", read, finding.Firm, msg, ps.queryFlow(read), nil)
		if why := ps.readUnlocksNothing(read); why != "" {
			ps.refute(before, step(read, "", why))
		}
		return
	}
	ps.reportReview("py.credential-in-query", read, msg+"; it is checked against a MAC of the request's own URL (a pre-signed link, valid for that URL only), not a standing credential", ps.queryFlow(read), nil)
}
