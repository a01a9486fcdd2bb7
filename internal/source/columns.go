package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// columns are the kinds of the project's SQLAlchemy model columns by name
// (done = db.Column(db.Boolean), priority = Column(Integer),
// done: Mapped[bool] = mapped_column()), "" for a name whose models
// disagree: a field a handler copies from the request into a column of
// that name is sent as that kind (a string in a Boolean column is a 500).
type columns map[string]string

func indexColumns(proj *flask.Project) columns {
	out := columns{}
	seen := func(name, kind string) {
		if k, ok := out[name]; ok && k != kind {
			out[name] = ""
			return
		}
		out[name] = kind
	}
	for _, m := range proj.Modules {
		for _, c := range m.File.OfKind("class_definition") {
			body := c.ChildByField("body")
			if body == nil {
				continue
			}
			for _, st := range body.NamedChildren() {
				if st.Kind != "expression_statement" || len(st.NamedChildren()) != 1 || st.NamedChildren()[0].Kind != "assignment" {
					continue
				}
				a := st.NamedChildren()[0]
				left := a.ChildByField("left")
				if left == nil || left.Kind != "identifier" {
					continue
				}
				if kind, ok := columnKind(a); ok {
					seen(left.Text(), kind)
				}
			}
		}
	}
	return out
}

// columnKind is the kind of a column declaration: the type its Column()
// or mapped_column() names first, else its Mapped[...] annotation; false
// when the assignment declares no column.
func columnKind(a *python.Node) (string, bool) {
	right := a.ChildByField("right")
	if right == nil || right.Kind != "call" {
		return "", false
	}
	fn := lastName(right.ChildByField("function").Text())
	if fn != "Column" && fn != "mapped_column" {
		return "", false
	}
	for _, arg := range right.ChildByField("arguments").NamedChildren() {
		if arg.Kind == "keyword_argument" || arg.Kind == "string" {
			continue
		}
		t := arg.Text()
		if arg.Kind == "call" {
			t = arg.ChildByField("function").Text()
		}
		if k := typeKind(lastName(t)); k != "" {
			return k, true
		}
		break
	}
	if typ := a.ChildByField("type"); typ != nil {
		if inner, ok := strings.CutPrefix(strings.TrimSpace(typ.Text()), "Mapped["); ok {
			return kindOf(strings.TrimSuffix(inner, "]")), true
		}
	}
	return "", true
}

// retype gives the fields of a body read from a handler's code (its
// placeholders by name) that share their name with a Boolean column a
// boolean (true: a flag a client sets), with a Float/Numeric column a
// number (1.5) and with an Integer column an integer (1): SQLAlchemy
// refuses a word for a Float column at the flush ("could not convert
// string to float"), a 500, and most databases refuse one for an Integer
// column. A name the models disagree on keeps its placeholder.
func (cs columns) retype(body map[string]any) {
	for k, v := range body {
		if inner, ok := v.(map[string]any); ok {
			cs.retype(inner)
			continue
		}
		if _, isStr := v.(string); !isStr {
			continue
		}
		switch cs[k] {
		case "bool":
			body[k] = true
		case "float":
			body[k] = 1.5
		case "int":
			body[k] = int64(1)
		}
	}
}
