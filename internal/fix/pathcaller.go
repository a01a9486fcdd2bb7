package fix

import (
	"regexp"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixPathCaller adds the check that a path naming a user names the caller
// (authz.bola, leak.other-principal-data on /users/<id>/... routes): the
// login is a route whose URL rule has a parameter at the same place under
// the same prefix and which stores that parameter in the session as the
// caller (`session["user_id"] = user_id`); the handler's own refusal of an
// unknown value of the parameter (`if user_id not in ORDERS: return 404`)
// is widened to a value that is not the caller's:
//
//	if user_id not in ORDERS or user_id != session.get("user_id"):
func fixPathCaller(s *site) (*attempt, string) {
	def := s.viewAt()
	if def == nil {
		def = s.routeDef()
	}
	if def == nil {
		return nil, "no route function for " + s.where()
	}
	segs := strings.Split(routeRule(def), "/")
	key, param := "", ""
	for i, seg := range segs {
		name, ok := ruleParamName(seg)
		if !ok {
			continue
		}
		if k := sessionCaller(s.file, def, segs[:i]); k != "" {
			key, param = k, name
			break
		}
	}
	caller := ""
	if key != "" {
		caller = "session.get(" + key + ")"
	} else if s.f.Rule == "authz.bola" {
		param, caller = decoratorCaller(s.file, def, segs)
	}
	if caller == "" {
		return nil, "no route stores the user its path names in the session as the caller, nor does the route's auth decorator set one caller id of the path's type; how the objects are matched to the caller needs a person"
	}
	guard := paramGuard(def.ChildByField("definition"), param)
	if guard == nil {
		return nil, "the handler does not refuse an unknown " + param + " (if ...: return); the check needs a person"
	}
	cond := guard.ChildByField("condition")
	text := cond.Text()
	if cond.Kind == "boolean_operator" && strings.Contains(text, " and ") || cond.Kind == "conditional_expression" {
		text = "(" + text + ")"
	}
	test := param + " != " + caller
	return &attempt{edits: []Edit{{Start: cond.Start, End: cond.End, New: text + " or " + test}},
		what: "a " + param + " in the path other than the caller's (" + test + ") is refused as an unknown one"}, ""
}

// decoratorCaller: for a BOLA on a route whose URL rule has one parameter,
// the caller id the route's auth decorator sets from the verified
// credential (`g.uid = int(claims["sub"])`, the one g attribute it sets),
// when its type agrees with the parameter's (an int() for <int:...>, none
// for a string): the parameter and `g.uid`. The dynamic proof checks that
// the owner is still served its own.
func decoratorCaller(f *python.File, def *python.Node, segs []string) (string, string) {
	param, conv := "", ""
	for _, seg := range segs {
		if name, ok := ruleParamName(seg); ok {
			if param != "" {
				return "", ""
			}
			param = name
			conv, _, _ = strings.Cut(strings.Trim(seg, "<>"), ":")
			if !strings.Contains(seg, ":") {
				conv = ""
			}
		}
	}
	if param == "" {
		return "", ""
	}
	for _, d := range authDecorators(def) {
		name := strings.TrimPrefix(strings.TrimSpace(d), "@")
		name, _, _ = strings.Cut(name, "(")
		fn := topFunc(f, name)
		if fn == nil {
			continue
		}
		sets := map[string]*python.Node{}
		fn.Walk(func(n *python.Node) bool {
			if n.Kind == "assignment" {
				if l := n.ChildByField("left"); l != nil && l.Kind == "attribute" && l.ChildByField("object").Text() == "g" {
					sets["g."+l.ChildByField("attribute").Text()] = n.ChildByField("right")
				}
			}
			return true
		})
		if len(sets) != 1 {
			continue
		}
		for attr, v := range sets {
			isInt := v != nil && v.Kind == "call" && callName(v) == "int"
			if isInt == (conv == "int") && (conv == "" || conv == "int" || conv == "string") {
				return param, attr
			}
		}
	}
	return "", ""
}

var ruleParamRe = regexp.MustCompile(`^<(?:[^:<>]+:)?([A-Za-z_]\w*)>$`)

// ruleParamName returns NAME of a URL rule segment <NAME> or <conv:NAME>.
func ruleParamName(seg string) (string, bool) {
	m := ruleParamRe.FindStringSubmatch(seg)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// sessionCaller finds another route whose URL rule starts with prefix
// and then a parameter, and whose body stores that parameter in the
// session (`session[K] = P`): it returns K's text, else "".
func sessionCaller(f *python.File, self *python.Node, prefix []string) string {
	want := normRule(strings.Join(prefix, "/"))
	for _, d := range f.OfKind("decorated_definition") {
		if d == self || !isRoute(d) {
			continue
		}
		segs := strings.Split(routeRule(d), "/")
		if len(segs) <= len(prefix) || normRule(strings.Join(segs[:len(prefix)], "/")) != want {
			continue
		}
		name, ok := ruleParamName(segs[len(prefix)])
		if !ok {
			continue
		}
		key := ""
		d.ChildByField("definition").Walk(func(n *python.Node) bool {
			if n.Kind == "assignment" {
				l, r := n.ChildByField("left"), n.ChildByField("right")
				if l != nil && r != nil && l.Kind == "subscript" && l.ChildByField("value").Text() == "session" && r.Text() == name {
					if _, ok := l.ChildByField("subscript").StringValue(); ok {
						key = l.ChildByField("subscript").Text()
					}
				}
			}
			return key == ""
		})
		if key != "" {
			return key
		}
	}
	return ""
}

// paramGuard returns the handler's first top-level `if` whose condition
// reads param, or a name assigned from it before (`w = WALLETS.get(uid)`;
// `if w is None`), and whose body returns, aborts or raises.
func paramGuard(fn *python.Node, param string) *python.Node {
	names := []string{param}
	for _, st := range fn.ChildByField("body").NamedChildren() {
		if as := firstNamed(st); st.Kind == "expression_statement" && as != nil && as.Kind == "assignment" &&
			as.ChildByField("left").Kind == "identifier" && as.ChildByField("right") != nil && usesName(as.ChildByField("right"), param) {
			names = append(names, as.ChildByField("left").Text())
			continue
		}
		if st.Kind != "if_statement" || st.ChildByField("alternative") != nil || !slices.ContainsFunc(names, func(n string) bool { return usesName(st.ChildByField("condition"), n) }) {
			continue
		}
		body := st.ChildByField("consequence").Text()
		if strings.Contains(body, "return") || strings.Contains(body, "abort(") || strings.Contains(body, "raise") {
			return st
		}
	}
	return nil
}
