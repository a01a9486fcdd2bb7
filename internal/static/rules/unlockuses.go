package rules

// Where a credential goes, for the unlock evidence (unlocks.go): a query
// credential's uses, and whether a committed key is ever checked against
// the request.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// readUnlocksNothing is the reason a credential read from the request
// unlocks nothing: every use of it (the read itself, or the local it is
// kept in) lies in checks whose passing is inert, or in log lines; "" when
// any use may matter or no check uses it.
func (ps *Pass) readUnlocksNothing(read *python.Node) string {
	fn := read.Ancestor("function_definition")
	if fn == nil {
		return ""
	}
	uses := []*python.Node{read}
	cur := read
	for cur.Parent != nil && (cur.Parent.Kind == "parenthesized_expression" || cur.Parent.Kind == "boolean_operator") {
		cur = cur.Parent
	}
	if a := cur.Parent; a != nil && a.Kind == "assignment" && cur.Field() == "right" {
		l := a.ChildByField("left")
		if l == nil || l.Kind != "identifier" {
			return ""
		}
		uses = nil
		fn.ChildByField("body").Walk(func(x *python.Node) bool {
			if x.Kind == "identifier" && x.Text() == l.Text() && x != l {
				uses = append(uses, x)
			}
			return true
		})
	}
	why := ""
	for _, u := range uses {
		c := u
		for c.Parent != nil && (c.Parent.Kind == "parenthesized_expression" || c.Parent.Kind == "call" && c.Field() == "function") {
			c = c.Parent
		}
		switch p := c.Parent; {
		case p != nil && p.Kind == "comparison_operator":
			w := ps.passUnlocksNothing(p)
			if w == "" {
				return ""
			}
			why = w
		case p != nil && p.Kind == "argument_list" && ps.inertExpr(p.Parent, 0):
			// a log line
		default:
			return ""
		}
	}
	return why
}

// checkedAgainstRequest: the name the literal lit is assigned to (a
// constant, a config key, an attribute) is compared, looked up or matched
// somewhere in the project against a request value: the project uses it
// as a credential, whatever its format says.
func (ps *Pass) checkedAgainstRequest(lit *python.Node) bool {
	a := lit.Parent
	for a != nil && a.Kind != "assignment" && a.Kind != "pair" && a.Kind != "keyword_argument" && a.Kind != "block" && a.Kind != "module" {
		a = a.Parent
	}
	if a == nil {
		return true
	}
	var name string
	switch a.Kind {
	case "assignment":
		l := a.ChildByField("left")
		name = l.Text()
		if l != nil && l.Kind == "attribute" {
			name = l.ChildByField("attribute").Text()
		}
	case "pair":
		name, _ = a.ChildByField("key").StringValue()
	case "keyword_argument":
		name = a.ChildByField("name").Text()
	}
	if name == "" {
		return true // not known where it goes: keep the finding
	}
	found := false
	for _, m := range ps.Project.Modules {
		for _, c := range m.File.OfKind("comparison_operator") {
			if !strings.Contains(c.Text(), name) {
				continue
			}
			for _, o := range c.NamedChildren() {
				if ps.requestDerived(o, 0) {
					found = true
				}
			}
		}
		if found {
			return true
		}
	}
	return false
}
