package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixMassAssignment keeps the fields the scan proved a client can set (the
// finding's Fields) out of what the handler stores:
//   - a comprehension copying the request's fields except some
//     (`{k: v for k, v in data.items() if k not in ("id",)}`) excludes them too;
//   - a merge of the whole request body (`data.update(request.get_json())`)
//     merges it without them;
//   - an entry of the stored dictionary read from the request
//     (`"admin": bool(body.get("admin"))`) gets the value a client that
//     sends nothing gets (False).
//
// The scan sends several privileged fields at once, so not every field it
// names is one the handler takes: a field the handler neither names nor
// merges with the whole body is left alone, and the dynamic proof (the
// rescan sends them all again) says whether the change closed it. At least
// one field must be one the handler takes.
func fixMassAssignment(s *site) (*attempt, string) {
	fields := s.f.Fields
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
	locals := localValues(def)
	var edits []Edit
	done := map[string]bool{}
	def.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "dictionary_comprehension", "list_comprehension", "set_comprehension", "generator_expression":
			if e, fs, ok := excludeMore(src, n, fields); ok {
				edits = append(edits, e)
				for _, f := range fs {
					done[f] = true
				}
			} else if e, ok := keyFilter(n, fields, locals); ok {
				edits = append(edits, e)
				for _, f := range fields {
					done[f] = true
				}
			}
		case "call":
			if e, ok := filterMerge(n, fields, locals); ok {
				edits = append(edits, e)
				for _, f := range fields {
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
	var taken, unread []string
	for _, f := range fields {
		switch {
		case done[f]:
			taken = append(taken, f)
		case namesField(def, f):
			return nil, "the handler reads " + quote(f) + " in a way other than a filtered comprehension, a merge of the body or a bool(body.get(...)) entry; which fields a client may set needs a person"
		default:
			unread = append(unread, f)
		}
	}
	if len(edits) == 0 {
		return nil, "the handler names none of " + strings.Join(fields, ", ") + " and merges no request body; where they are stored needs a person"
	}
	what := strings.Join(taken, ", ") + " no longer taken from the request"
	if len(unread) > 0 {
		what += " (" + strings.Join(unread, ", ") + ": not read by the handler)"
	}
	return &attempt{edits: edits, what: what}, ""
}

// filterMerge turns `X.update(BODY)`, BODY the request's body (read in the
// argument or through a local name assigned once), into
// `X.update({k: v for k, v in (BODY).items() if k not in (...)})`.
func filterMerge(call *python.Node, fields []string, locals map[string]*python.Node) (Edit, bool) {
	fn := call.ChildByField("function")
	if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "update" {
		return Edit{}, false
	}
	as := args(call)
	if len(as) != 1 || as[0].Kind == "keyword_argument" || as[0].Unparen().Kind == "dictionary_comprehension" {
		return Edit{}, false
	}
	arg := as[0]
	body := arg
	if arg.Kind == "identifier" {
		if v, ok := locals[arg.Text()]; ok && v != nil {
			body = v
		}
	}
	if !readsRequestBody(body) {
		return Edit{}, false
	}
	text := arg.Text()
	if arg.Kind != "identifier" && arg.Kind != "call" && arg.Kind != "attribute" && arg.Kind != "parenthesized_expression" {
		text = "(" + text + ")"
	}
	quoted := make([]string, len(fields))
	for i, f := range fields {
		quoted[i] = quote(f)
	}
	tuple := strings.Join(quoted, ", ")
	if len(fields) == 1 {
		tuple += ","
	}
	return Edit{Start: arg.Start, End: arg.End, New: "{k: v for k, v in " + text + ".items() if k not in (" + tuple + ")}"}, true
}

// keyFilter keeps the fields out of a comprehension over the request
// body's keys (`[c for c in payload if c.isidentifier()]`, `{k: v for k,
// v in body.items()}`): its condition gains `and c not in (...)`, or it
// gets `if c not in (...)`.
func keyFilter(comp *python.Node, fields []string, locals map[string]*python.Node) (Edit, bool) {
	var clause, cond *python.Node
	for _, c := range comp.NamedChildren() {
		switch c.Kind {
		case "for_in_clause":
			if clause != nil {
				return Edit{}, false
			}
			clause = c
		case "if_clause":
			if cond != nil {
				return Edit{}, false
			}
			cond = c.NamedChildren()[0]
		}
	}
	if clause == nil {
		return Edit{}, false
	}
	key := clause.ChildByField("left")
	if key.Kind == "pattern_list" || key.Kind == "tuple_pattern" {
		key = key.NamedChildren()[0]
	}
	iter := clause.ChildByField("right")
	if f := iter.ChildByField("function"); iter.Kind == "call" && f != nil && f.Kind == "attribute" && (f.ChildByField("attribute").Text() == "items" || f.ChildByField("attribute").Text() == "keys") {
		iter = f.ChildByField("object")
	}
	body := iter
	if iter.Kind == "identifier" {
		if v, ok := locals[iter.Text()]; ok && v != nil {
			body = v
		}
	}
	if key == nil || key.Kind != "identifier" || !readsRequestBody(body) {
		return Edit{}, false
	}
	quoted := make([]string, len(fields))
	for i, f := range fields {
		quoted[i] = quote(f)
	}
	tuple := strings.Join(quoted, ", ")
	if len(fields) == 1 {
		tuple += ","
	}
	test := key.Text() + " not in (" + tuple + ")"
	if cond == nil {
		return Edit{Start: clause.End, End: clause.End, New: " if " + test}, true
	}
	if cond.Kind == "boolean_operator" || cond.Kind == "conditional_expression" || cond.Kind == "lambda" {
		return Edit{Start: cond.Start, End: cond.End, New: "(" + cond.Text() + ") and " + test}, true
	}
	return Edit{Start: cond.End, End: cond.End, New: " and " + test}, true
}

// requestBodies are the Flask request attributes that hold what the
// client sent in the body.
var requestBodies = []string{"request.get_json", "request.json", "request.form", "request.values", "request.data"}

// readsRequestBody reports whether an expression reads the request body.
func readsRequestBody(n *python.Node) bool {
	t := n.Text()
	for _, r := range requestBodies {
		if strings.Contains(t, r) {
			return true
		}
	}
	return false
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
