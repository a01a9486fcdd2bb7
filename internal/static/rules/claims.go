package rules

import (
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// claim is one key of a token payload: its value and where it is set.
type claim struct {
	val, at *python.Node
}

// payload is what is known of the claims given to an encode call: literal
// keys, keys added later in the function, and an optional function
// parameter the payload is built from (resolved at each call site).
type payload struct {
	keys   map[string]claim
	opaque bool
	param  string
	fn     *python.Node
	// eval resolves a constant used as a claim name.
	eval func(*python.Node) flask.Value
}

// readPayload collects the claims of expression n inside function fn.
func readPayload(n *python.Node, fn *python.Node, eval func(*python.Node) flask.Value) payload {
	pl := payload{keys: map[string]claim{}, fn: fn, eval: eval}
	pl.add(n, 0)
	return pl
}

func (pl *payload) add(n *python.Node, depth int) {
	n = n.Unparen()
	if n == nil || depth > 6 {
		pl.opaque = true
		return
	}
	switch n.Kind {
	case "dictionary":
		for _, c := range n.NamedChildren() {
			switch c.Kind {
			case "pair":
				if k, ok := c.ChildByField("key").StringValue(); ok {
					pl.keys[k] = claim{c.ChildByField("value"), c}
				} else if kn := c.ChildByField("key"); kn.Kind == "identifier" || kn.Kind == "attribute" {
					// {EXPIRE_TIME: ...} with EXPIRE_TIME = "exp"
					if pl.eval != nil {
						if v := pl.eval(kn); v.Kind == flask.Str {
							pl.keys[v.S] = claim{c.ChildByField("value"), c}
							continue
						}
					}
					pl.opaque = true
				}
			case "dictionary_splat":
				pl.add(c.NamedChildren()[0], depth+1)
			}
		}
	case "call":
		if n.ChildByField("function").DottedName() != "dict" {
			pl.opaque = true
			return
		}
		for _, a := range n.ChildByField("arguments").NamedChildren() {
			switch a.Kind {
			case "keyword_argument":
				pl.keys[a.ChildByField("name").Text()] = claim{a.ChildByField("value"), a}
			default:
				pl.add(a, depth+1)
			}
		}
	case "identifier":
		if fn := flask.ParamOf(n); fn != nil && fn == pl.fn {
			pl.param = n.Text()
		} else if pl.fn != nil {
			if rhs := flask.LocalAssign(pl.fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				pl.add(rhs, depth+1)
			} else {
				pl.opaque = true
			}
		} else {
			pl.opaque = true
		}
		pl.later(n.Text())
	default:
		pl.opaque = true
	}
}

// later adds payload["k"] = v assignments and notes .update() calls.
func (pl *payload) later(name string) {
	if pl.fn == nil {
		return
	}
	pl.fn.Walk(func(x *python.Node) bool {
		switch x.Kind {
		case "assignment":
			l := x.ChildByField("left")
			if l.Kind == "subscript" && l.ChildByField("value").Text() == name {
				if k, ok := l.ChildByField("subscript").StringValue(); ok {
					pl.keys[k] = claim{x.ChildByField("right"), x}
				}
			}
		case "call":
			if x.ChildByField("function").Text() == name+".update" {
				pl.opaque = true
			}
		}
		return true
	})
}

// checkPayload reports sensitive claims, a missing exp and long lifetimes
// of the token issued by call c. A payload or lifetime that comes from a
// parameter of the issuing function is resolved at each of its call sites,
// and reported there.
func checkPayload(ps *Pass, c Call, n *python.Node, needExp bool) {
	if n == nil {
		return
	}
	fn := c.Node.Ancestor("function_definition")
	pl := readPayload(n, fn, ps.Project.Eval)
	kids := keyIDs(c)
	for k, cl := range pl.keys {
		if cl.val != nil && kids[cl.val.Unparen().Text()] {
			continue // the token names its key by this value in its kid header: an identifier, public by design
		}
		ps.reportClaim(c.Node, cl.at, cl.val, k, "claim \""+k+"\" puts sensitive data in a readable token")
	}
	if pl.param == "" {
		checkExp(ps, c.Node, pl, needExp, flask.CallSite{})
		return
	}
	for _, cs := range ps.Project.CallSites(fn) {
		arg := cs.Arg(fn, pl.param)
		sub := readPayload(arg, cs.Call.Ancestor("function_definition"), ps.Project.Eval)
		for k, cl := range sub.keys {
			ps.reportClaim(c.Node, cl.at, cl.val, k, "claim \""+k+"\" ends up in a readable token")
		}
		merged := payload{keys: map[string]claim{}, opaque: pl.opaque || sub.opaque || sub.param != ""}
		for k, v := range sub.keys {
			merged.keys[k] = v
		}
		for k, v := range pl.keys {
			merged.keys[k] = v
		}
		checkExp(ps, cs.Call, merged, needExp, cs)
	}
}

// checkExp: no exp at all, an exp set only when a parameter is given, or
// a lifetime over 24 h (also through a parameter bound at the call site).
func checkExp(ps *Pass, at *python.Node, pl payload, needExp bool, site flask.CallSite) {
	exp, has := pl.keys["exp"]
	if !has {
		if needExp && !pl.opaque {
			// Evidence: the token is issued by request-handling code (a
			// route or an auth callback hands it to a client).
			var flow []finding.Step
			if e := ps.requestHandling(at); e != nil {
				flow = append(e, step(at, "sink", "a token without exp is issued while handling a request"))
			}
			if cmp := ps.handExpiry(pl.keys); cmp != nil {
				ps.reportReview("py.jwt-no-expiry", at, "the token has no exp claim, but "+oneLineText(cmp.Text())+" at "+cmp.File.Path+":"+itoa(cmp.Line)+
					" compares one of its claims with the time: expiry checked by hand", flow, nil)
				return
			}
			ps.ReportFlow("py.jwt-no-expiry", at, finding.Firm, "the token has no exp claim and never expires", flow, nil)
		}
		return
	}
	fn := exp.at.Ancestor("function_definition")
	if fn != nil {
		for _, cs := range ps.Project.CallSites(fn) {
			if site.Call != nil && cs.Call != site.Call {
				continue
			}
			if cond := guardParam(exp.at, fn); cond != "" {
				if v := ps.Project.Eval(cs.Arg(fn, cond)); v.Kind == flask.None || v.Kind == flask.Bool && !v.B {
					var flow []finding.Step
					if e := ps.requestHandling(cs.Call); e != nil {
						flow = append(e, step(cs.Call, "sink", "a token without exp is issued while handling a request"))
					}
					ps.ReportFlow("py.jwt-no-expiry", cs.Call, finding.Firm, "called with "+cond+"="+v.String()+", the token gets no exp claim and never expires", flow, nil)
				}
			}
			if d, ok := paramLifetime(ps.Project, exp.val, fn, cs); ok && d > maxLifetime {
				ps.Report("py.jwt-long-lifetime", cs.Call, finding.Firm, "tokens issued here live "+human(d), nil)
			}
		}
	}
	if d, ok := lifetime(ps.Project, exp.val); ok && d > maxLifetime {
		ps.Report("py.jwt-long-lifetime", at, finding.Firm, "tokens live "+human(d), nil)
	}
}

// guardParam returns the parameter an if statement around n tests
// ("if ttl is not None:" / "if ttl:"), or "".
func guardParam(n, fn *python.Node) string {
	params := map[string]bool{}
	for _, p := range flask.Params(fn) {
		params[p] = true
	}
	for a := n.Parent; a != nil && a != fn; a = a.Parent {
		if a.Kind != "if_statement" {
			continue
		}
		found := ""
		a.ChildByField("condition").Walk(func(x *python.Node) bool {
			if x.Kind == "identifier" && params[x.Text()] {
				found = x.Text()
			}
			return found == ""
		})
		if found != "" {
			return found
		}
	}
	return ""
}

// paramLifetime evaluates "now + ttl" where ttl is a parameter, using the
// argument of one call site (a conditional argument counts its longest
// branch).
func paramLifetime(p *flask.Project, exp, fn *python.Node, cs flask.CallSite) (int64, bool) {
	exp = exp.Unparen()
	if exp == nil || exp.Kind != "binary_operator" || !exp.HasChildKind("+") {
		return 0, false
	}
	for _, side := range []*python.Node{exp.ChildByField("right"), exp.ChildByField("left")} {
		side = side.Unparen()
		if side == nil || side.Kind != "identifier" || flask.ParamOf(side) != fn {
			continue
		}
		return longest(p, cs.Arg(fn, side.Text()), 0)
	}
	return 0, false
}

func longest(p *flask.Project, n *python.Node, depth int) (int64, bool) {
	n = n.Unparen()
	if n == nil || depth > 4 {
		return 0, false
	}
	if n.Kind == "conditional_expression" {
		var best int64
		ok := false
		for _, c := range n.NamedChildren() {
			if d, k := longest(p, c, depth+1); k && d > best {
				best, ok = d, true
			}
		}
		return best, ok
	}
	if n.Kind == "identifier" {
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return longest(p, rhs, depth+1)
			}
		}
	}
	return durationSeconds(p, n)
}

// keyIDs are the expressions an encode call puts in the token's kid header
// (headers={"kid": self.api_key}): what names the key, not the key.
func keyIDs(c Call) map[string]bool {
	out := map[string]bool{}
	h := c.Arg(-1, "headers")
	if h == nil || h.Kind != "dictionary" {
		return out
	}
	for _, pair := range h.NamedChildren() {
		if pair.Kind != "pair" {
			continue
		}
		if k, ok := pair.ChildByField("key").StringValue(); ok && k == "kid" {
			out[pair.ChildByField("value").Unparen().Text()] = true
		}
	}
	return out
}
