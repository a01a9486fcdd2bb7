package fix

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// massFieldsRe reads the fields a mass-assignment finding proved a client
// can set, from its message: "... stored fields a client must not set: a, b
// (read back ...)" (writes), "registration accepts a, b: ..." and "... the
// update does not take: a=1 (was 0), b=true (was false) — ..." (accounts).
var massFieldsRe = regexp.MustCompile(`(?:must not set:|registration accepts|does not take:) (.+?)(?: \(read back|: | — |$)`)

// massFieldName is a field's name in one item of that list ("a=1 (was 0)").
var massFieldName = regexp.MustCompile(`^([A-Za-z_]\w*)(?:=|$)`)

// massFields returns the fields the finding's message names.
func massFields(msg string) []string {
	m := massFieldsRe.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	var out []string
	for _, item := range strings.Split(m[1], ", ") {
		n := massFieldName.FindStringSubmatch(strings.TrimSpace(item))
		if n == nil {
			continue // a value's own ", " (was ...)
		}
		out = append(out, n[1])
	}
	return out
}

// fixMassAssignment keeps the fields the scan proved a client can set out
// of what the handler stores: a comprehension copying the request's fields
// except some (`{k: v for k, v in data.items() if k not in ("id",)}`)
// excludes them too; an entry of the stored dictionary read from the
// request (`"admin": bool(body.get("admin"))`) gets the value a client
// that sends nothing gets (False).
func fixMassAssignment(s *site) (*attempt, string) {
	fields := massFields(s.f.Message)
	if len(fields) == 0 {
		return nil, "the finding does not name the fields a client could set"
	}
	def := s.routeDef()
	if def == nil {
		def = s.viewAt()
	}
	if def == nil {
		return nil, "no route function at " + s.f.Location.String()
	}
	src := s.src()
	var edits []Edit
	done := map[string]bool{}
	def.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "dictionary_comprehension":
			if e, fs, ok := excludeMore(src, n, fields); ok {
				edits = append(edits, e)
				for _, f := range fs {
					done[f] = true
				}
			}
		case "pair":
			k, ok := n.ChildByField("key").StringValue()
			v := n.ChildByField("value")
			if !ok || !contains(fields, k) || v.Kind != "call" || callName(v) != "bool" || !strings.Contains(v.Text(), quote(k)) {
				return true
			}
			edits = append(edits, Edit{Start: v.Start, End: v.End, New: "False"})
			done[k] = true
		}
		return true
	})
	for _, f := range fields {
		if !done[f] {
			return nil, "the handler does not copy " + quote(f) + " through a filtered comprehension or a bool(body.get(...)) entry; which fields a client may set needs a person"
		}
	}
	return &attempt{edits: edits, what: strings.Join(fields, ", ") + " no longer taken from the request"}, ""
}

// excludeMore adds fields to the exclusion of `{k: v for k, v in X.items()
// if k not in (...)}` and returns the edit and the fields it covers.
func excludeMore(src []byte, comp *python.Node, fields []string) (Edit, []string, bool) {
	var cond *python.Node
	for _, c := range comp.NamedChildren() {
		if c.Kind == "if_clause" {
			cond = c.NamedChildren()[0]
		}
	}
	if cond != nil && cond.Kind == "boolean_operator" && strings.Contains(cond.Text(), " and ") {
		// k in allowed and k not in (...): the exclusion is one operand.
		for _, c := range cond.NamedChildren() {
			if c.Kind == "comparison_operator" && strings.Contains(c.Text(), " not in ") {
				cond = c
			}
		}
	}
	if cond == nil || cond.Kind != "comparison_operator" || !strings.Contains(cond.Text(), " not in ") {
		return Edit{}, nil, false
	}
	cs := cond.NamedChildren()
	if len(cs) != 2 || cs[1].Kind != "tuple" && cs[1].Kind != "list" && cs[1].Kind != "set" {
		return Edit{}, nil, false
	}
	have := stringList(cs[1])
	var add []string
	for _, f := range fields {
		if !contains(have, f) {
			add = append(add, quote(f))
		}
	}
	if len(add) == 0 {
		return Edit{}, nil, false
	}
	items := cs[1].NamedChildren()
	last := items[len(items)-1]
	text := ", " + strings.Join(add, ", ")
	end := last.End
	return Edit{Start: end, End: end, New: text}, fields, true
}
