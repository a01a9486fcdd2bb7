package rules

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

const maxLifetime = 24 * 3600

// durationSeconds evaluates timedelta(...) (or a number of seconds).
func durationSeconds(p *flask.Project, n *python.Node) (int64, bool) {
	return durationAt(p, n, 0)
}

// maxFollow bounds how many assignments a rule follows from a name:
// "a = b" and "b = a" lead back to each other.
const maxFollow = 12

func durationAt(p *flask.Project, n *python.Node, depth int) (int64, bool) {
	n = n.Unparen()
	if n == nil || depth > maxFollow {
		return 0, false
	}
	if v := p.Eval(n); v.Kind == flask.Int {
		return v.I, true
	}
	if n.Kind == "identifier" {
		if fn := n.Ancestor("function_definition"); fn != nil {
			if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
				return durationAt(p, rhs, depth+1)
			}
		}
		if m := p.ModuleOf(n); m != nil {
			if rhs := m.Assigns[n.Text()]; len(rhs) > 0 && !rhs[len(rhs)-1].Contains(n) {
				return durationAt(p, rhs[len(rhs)-1], depth+1)
			}
		}
		return 0, false
	}
	if n.Kind != "call" || !strings.HasSuffix(n.ChildByField("function").DottedName(), "timedelta") {
		return 0, false
	}
	units := map[string]int64{"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
	order := []string{"days", "seconds"}
	var total int64
	k := 0
	for _, a := range n.ChildByField("arguments").NamedChildren() {
		if a.Kind == "keyword_argument" {
			v := p.Eval(a.ChildByField("value"))
			u, ok := units[a.ChildByField("name").Text()]
			if v.Kind != flask.Int || !ok {
				return 0, false
			}
			total += v.I * u
			continue
		}
		v := p.Eval(a)
		if v.Kind != flask.Int || k >= len(order) {
			return 0, false
		}
		total += v.I * units[order[k]]
		k++
	}
	return total, true
}

// lifetime finds "now + D" in an exp expression and returns D in seconds.
func lifetime(p *flask.Project, n *python.Node) (int64, bool) { return lifetimeAt(p, n, 0) }

func lifetimeAt(p *flask.Project, n *python.Node, depth int) (int64, bool) {
	n = n.Unparen()
	if depth > maxFollow {
		return 0, false
	}
	if n == nil || n.Kind != "binary_operator" || !n.HasChildKind("+") {
		if n != nil && n.Kind == "identifier" {
			if fn := n.Ancestor("function_definition"); fn != nil {
				if rhs := flask.LocalAssign(fn, n.Text(), n.Start); rhs != nil && !rhs.Contains(n) {
					return lifetimeAt(p, rhs, depth+1)
				}
			}
		}
		return 0, false
	}
	if d, ok := durationSeconds(p, n.ChildByField("right")); ok {
		return d, true
	}
	return durationSeconds(p, n.ChildByField("left"))
}

var sensitiveClaimWords = []string{"password", "passwd", "pwd", "secret", "ssn", "credit_card", "card_number", "private_key", "api_key", "pin"}

func sensitiveName(s string) bool {
	l := strings.ToLower(s)
	for _, w := range sensitiveClaimWords {
		if l == w || strings.Contains(l, w) && w != "pin" {
			return true
		}
	}
	return false
}

func runEncode(ps *Pass) {
	p := ps.Project
	for _, c := range ps.Calls {
		lib := jwtLib(c.Q, "encode")
		jwtx := strings.Contains(c.Q, "flask_jwt_extended") && strings.HasSuffix(c.Q, "create_access_token")
		if lib == "" && !jwtx {
			continue
		}
		var payload *python.Node
		switch {
		case jwtx:
			payload = c.Arg(-1, "additional_claims")
			if d, ok := durationSeconds(p, c.Arg(-1, "expires_delta")); ok && d > maxLifetime {
				ps.Report("py.jwt-long-lifetime", c.Node, finding.Firm, "access tokens live "+human(d), nil)
			}
		case lib == "authlib":
			payload = c.Arg(1, "payload")
		default:
			payload = c.Arg(0, "payload")
			if lib == "jose" {
				payload = c.Arg(0, "claims")
			}
			alg := c.Arg(2, "algorithm")
			if v := p.Eval(alg); alg != nil && (v.Kind == flask.None || v.Kind == flask.Str && strings.EqualFold(v.S, "none")) {
				ps.Report("py.jwt-encode-alg-none", c.Node, finding.Firm, "tokens are issued unsigned (algorithm "+v.String()+")", nil)
			}
			if why, ok := emptyKey(p, c.Arg(1, "key")); ok {
				ps.Report("py.jwt-empty-secret", c.Node, finding.Firm, why+": tokens are signed with it", nil)
			}
		}
		checkPayload(ps, c, payload, !jwtx)
	}
}

// claimSensitive: the value decides before the name: a claim named
// reset_password that holds a user id carries no secret.
func claimSensitive(key string, val *python.Node) bool {
	if val != nil && isIdentifierValue(val) {
		return false
	}
	return sensitiveName(key) || val != nil && valueSensitive(val)
}

// isIdentifierValue: an id, a number or a constant-free identifier-like
// expression (self.id, user.id, user_id, 42).
func isIdentifierValue(v *python.Node) bool {
	v = v.Unparen()
	name := ""
	switch v.Kind {
	case "integer":
		return true
	case "attribute":
		name = v.ChildByField("attribute").Text()
	case "identifier":
		name = v.Text()
	case "call":
		if fn := v.ChildByField("function").DottedName(); fn == "str" || fn == "int" {
			if a := v.ChildByField("arguments").NamedChildren(); len(a) == 1 {
				return isIdentifierValue(a[0])
			}
		}
	}
	l := strings.ToLower(name)
	return l == "id" || l == "pk" || l == "uuid" || strings.HasSuffix(l, "_id") || l == "username" || l == "email"
}

func valueSensitive(v *python.Node) bool {
	v = v.Unparen()
	switch v.Kind {
	case "attribute":
		return sensitiveName(v.ChildByField("attribute").Text())
	case "subscript":
		s, ok := v.ChildByField("subscript").StringValue()
		return ok && sensitiveName(s)
	case "identifier":
		return sensitiveName(v.Text())
	}
	return false
}

func human(secs int64) string {
	switch {
	case secs%86400 == 0:
		return itoa(int(secs/86400)) + " days"
	case secs%3600 == 0:
		return itoa(int(secs/3600)) + " hours"
	}
	return itoa(int(secs)) + " seconds"
}

func runUnverifiedClaims(ps *Pass) {
	for _, c := range ps.Calls {
		last := c.Q[strings.LastIndex(c.Q, ".")+1:]
		if last != "get_unverified_claims" && last != "get_unverified_header" {
			continue
		}
		if !strings.HasPrefix(c.Q, "jwt.") && !strings.HasPrefix(c.Q, "jose.") {
			continue
		}
		fn := c.Node.Ancestor("function_definition")
		if fn == nil || verifiesIn(ps, fn) || verifiedBefore(ps, c, fn) {
			continue
		}
		flow := ps.unverifiedFlow(c.Node, c.Arg(0, "token"))
		if flow == nil && !drivesDecision(c.Node, fn) {
			continue
		}
		before := len(ps.Findings)
		ps.ReportFlow("py.jwt-unverified-claims", c.Node, finding.Firm, last+" is used and nothing in the function verifies the signature", flow, nil)
		ps.refuteVerifiedLater(before, c)
	}
}

func verifiesIn(ps *Pass, fn *python.Node) bool {
	for _, c := range ps.Calls {
		if !fn.Contains(c.Node) {
			continue
		}
		if lib := jwtLib(c.Q, "decode"); lib != "" {
			opts := ps.Project.Eval(c.Arg(-1, "options"))
			if v, ok := opts.Get("verify_signature"); ok {
				if t, known := v.Truthy(); known && !t {
					continue
				}
			}
			return true
		}
	}
	return false
}

// drivesDecision: the unverified value (or the variable it is stored in)
// is tested by an if/while or a comparison in the function; a helper that
// only returns it decides nothing.
func drivesDecision(call, fn *python.Node) bool {
	if inCondition(call, fn) {
		return true
	}
	a := call.Parent
	for a != nil && (a.Kind == "subscript" || a.Kind == "call" || a.Kind == "attribute" || a.Kind == "parenthesized_expression") {
		a = a.Parent
	}
	if a == nil || a.Kind != "assignment" || a.ChildByField("left").Kind != "identifier" {
		return false
	}
	name := a.ChildByField("left").Text()
	for _, x := range fn.File.OfKind("comparison_operator") {
		if fn.Contains(x) && x.Start > a.Start && mentions(x, name) {
			return true
		}
	}
	for _, x := range fn.File.OfKind("if_statement") {
		if fn.Contains(x) && x.Start > a.Start && mentions(x.ChildByField("condition"), name) {
			return true
		}
	}
	return false
}

func inCondition(n, fn *python.Node) bool {
	for a := n.Parent; a != nil && a != fn; a = a.Parent {
		if a.Kind == "comparison_operator" || a.Field() == "condition" {
			return true
		}
	}
	return false
}

func mentions(n *python.Node, name string) bool {
	found := false
	n.Walk(func(x *python.Node) bool {
		found = found || x.Kind == "identifier" && x.Text() == name
		return !found
	})
	return found
}
