package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// ormModels are the project's SQLAlchemy models by class name: the
// classes that declare a column (Column(), mapped_column()).
type ormModels map[string]*python.Node

func indexORM(proj *flask.Project) ormModels {
	out := ormModels{}
	for _, m := range proj.Modules {
		for _, c := range m.File.OfKind("class_definition") {
			if len(requiredColumns(c)) > 0 {
				out[c.ChildByField("name").Text()] = c
			}
		}
	}
	return out
}

// body is the body a handler builds an ORM model from (User(**data),
// where data is the request's JSON): the model's required columns — those
// declared nullable=False (or a non-Optional Mapped[...] of
// mapped_column) without a default and not the primary key — by name,
// since the constructor takes exactly the column names and the flush
// refuses a missing required one (IntegrityError, a 500).
func (ix ormModels) body(def *python.Node) map[string]any {
	var out map[string]any
	def.Walk(func(n *python.Node) bool {
		if out != nil || n.Kind != "call" {
			return out == nil
		}
		fn, args := n.ChildByField("function"), n.ChildByField("arguments")
		if fn == nil || args == nil || fn.Kind != "identifier" || len(args.NamedChildren()) == 0 {
			return true
		}
		arg := args.NamedChildren()[0]
		c := ix[fn.Text()]
		if c == nil || arg.Kind != "dictionary_splat" || !fromRequest(def, arg.NamedChildren()[0]) {
			return true
		}
		out = map[string]any{}
		for _, name := range requiredColumns(c) {
			out[name] = placeholder(name)
		}
		return false
	})
	return out
}

// requiredColumns are the names of a class's columns a row must be given.
func requiredColumns(c *python.Node) []string {
	body := c.ChildByField("body")
	if body == nil {
		return nil
	}
	var out []string
	for _, st := range body.NamedChildren() {
		if st.Kind != "expression_statement" || len(st.NamedChildren()) != 1 || st.NamedChildren()[0].Kind != "assignment" {
			continue
		}
		a := st.NamedChildren()[0]
		left := a.ChildByField("left")
		if left == nil || left.Kind != "identifier" || strings.HasPrefix(left.Text(), "_") {
			continue
		}
		if _, ok := columnKind(a); !ok {
			continue
		}
		call := a.ChildByField("right")
		kw := map[string]string{}
		for _, arg := range call.ChildByField("arguments").NamedChildren() {
			if arg.Kind == "keyword_argument" {
				kw[arg.ChildByField("name").Text()] = arg.ChildByField("value").Text()
			}
		}
		if kw["primary_key"] == "True" || kw["default"] != "" || kw["server_default"] != "" {
			continue
		}
		required := kw["nullable"] == "False"
		if lastName(call.ChildByField("function").Text()) == "mapped_column" && kw["nullable"] == "" {
			// Mapped[str] is NOT NULL, Mapped[Optional[str]] is not.
			t := a.ChildByField("type")
			required = t != nil && strings.HasPrefix(t.Text(), "Mapped[") && !strings.Contains(t.Text(), "Optional") && !strings.Contains(t.Text(), "None")
		}
		if required {
			out = append(out, left.Text())
		}
	}
	return out
}
