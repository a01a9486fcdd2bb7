package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// models indexes the declarations other than marshmallow schemas that say
// what a body holds: pydantic models and dataclasses (annotated class
// attributes), flask-restx/restplus models (api.model("Name", {...})),
// reqparse parsers (their add_argument calls) and enums (for a value the
// validator takes). Each reduces to fields (see field).
type models struct {
	classes map[string]*python.Node // pydantic BaseModel subclasses, @dataclass classes
	enums   map[string]any          // enum class → its first member's value
	restx   map[string]*python.Node // variable → the api.model(...) call
	// adds are the add_argument calls by receiver ("parser",
	// "self.reqparse"), each with the scope it was made in.
	adds []*python.Node
	// copies: parser variable → the parser it copies (p2 = parser.copy()).
	copies map[string]string
}

func indexModels(proj *flask.Project) *models {
	ix := &models{classes: map[string]*python.Node{}, enums: map[string]any{}, restx: map[string]*python.Node{}, copies: map[string]string{}}
	var candidates []*python.Node
	for _, m := range proj.Modules {
		// BaseModel is pydantic's only where pydantic is imported (an ORM's
		// declarative base is often called BaseModel too).
		pydantic := strings.Contains(string(m.File.Src), "pydantic") || strings.Contains(string(m.File.Src), "sqlmodel")
		for _, c := range m.File.OfKind("class_definition") {
			name := c.ChildByField("name").Text()
			sup := ""
			if s := c.ChildByField("superclasses"); s != nil {
				sup = s.Text()
			}
			switch {
			case strings.Contains(sup, "Enum"):
				ix.enums[name] = firstMember(c)
			case pydantic && (strings.Contains(sup, "BaseModel") || strings.Contains(sup, "SQLModel")) || dataclass(c):
				ix.classes[name] = c
			case sup != "":
				candidates = append(candidates, c)
			}
		}
		for _, call := range m.File.OfKind("call") {
			fn := call.ChildByField("function")
			if fn == nil || fn.Kind != "attribute" {
				continue
			}
			switch fn.ChildByField("attribute").Text() {
			case "add_argument":
				ix.adds = append(ix.adds, call)
			case "model", "inherit", "clone", "schema_model":
				if a := call.Parent; a != nil && a.Kind == "assignment" && a.ChildByField("left").Kind == "identifier" {
					ix.restx[a.ChildByField("left").Text()] = call
				}
			case "copy":
				if a := call.Parent; a != nil && a.Kind == "assignment" {
					ix.copies[a.ChildByField("left").Text()] = fn.ChildByField("object").Text()
				}
			}
		}
	}
	// A subclass of a model is a model (class Create(ItemBase)).
	for changed := true; changed; {
		changed = false
		for i, c := range candidates {
			if c == nil {
				continue
			}
			for _, s := range c.ChildByField("superclasses").NamedChildren() {
				if ix.classes[lastName(s.Text())] != nil {
					ix.classes[c.ChildByField("name").Text()] = c
					candidates[i], changed = nil, true
					break
				}
			}
		}
	}
	return ix
}

// dataclass: a class decorated with @dataclass (dataclasses or pydantic's).
func dataclass(c *python.Node) bool {
	dd := c.Parent
	if dd == nil || dd.Kind != "decorated_definition" {
		return false
	}
	for _, d := range dd.NamedChildren() {
		if d.Kind == "decorator" && strings.Contains(d.Text(), "dataclass") {
			return true
		}
	}
	return false
}

// firstMember is the value of an enum's first member (A = "a").
func firstMember(c *python.Node) any {
	for _, st := range c.ChildByField("body").NamedChildren() {
		if st.Kind != "expression_statement" || len(st.NamedChildren()) != 1 || st.NamedChildren()[0].Kind != "assignment" {
			continue
		}
		right := st.NamedChildren()[0].ChildByField("right")
		if right == nil {
			continue
		}
		if s, ok := right.StringValue(); ok {
			return s
		}
		if n, ok := right.IntValue(); ok {
			return n
		}
	}
	return nil
}

// classFields are the annotated attributes of a pydantic model or
// dataclass, its bases' first.
func (ix *models) classFields(c *python.Node, depth int) []field {
	var fs []field
	if sup := c.ChildByField("superclasses"); sup != nil && depth < 3 {
		for _, s := range sup.NamedChildren() {
			if base := ix.classes[lastName(s.Text())]; base != nil && base != c {
				fs = append(fs, ix.classFields(base, depth+1)...)
			}
		}
	}
	for _, st := range c.ChildByField("body").NamedChildren() {
		if st.Kind != "expression_statement" || len(st.NamedChildren()) != 1 || st.NamedChildren()[0].Kind != "assignment" {
			continue
		}
		a := st.NamedChildren()[0]
		left, typ := a.ChildByField("left"), a.ChildByField("type")
		if left == nil || typ == nil || left.Kind != "identifier" {
			continue
		}
		name, t := left.Text(), typ.Text()
		if strings.HasPrefix(name, "_") || name == "model_config" || strings.Contains(t, "ClassVar") {
			continue
		}
		fs = append(fs, ix.typed(name, t, depth))
	}
	return fs
}

// typed is a field of an annotated type: a nested model, a list of them,
// an enum, a Literal, or a plain type.
func (ix *models) typed(name, t string, depth int) field {
	f := field{Name: name, Kind: kindOf(t)}
	inner := strings.TrimSpace(t)
	if k := kindOf(inner); k == "" || k == "list" {
		if it := itemType(inner); it != "" {
			inner = it
		}
	}
	for _, wrap := range []string{"Optional[", "typing.Optional["} {
		if in, ok := strings.CutPrefix(inner, wrap); ok {
			inner = strings.TrimSpace(splitTop(strings.TrimSuffix(in, "]"))[0])
		}
	}
	bare := lastName(strings.Trim(inner, `"'`))
	switch {
	case ix.classes[bare] != nil && depth < 3:
		f.Nested = ix.classFields(ix.classes[bare], depth+1)
		if f.Kind != "list" {
			f.Kind = "object"
		}
	case ix.enums[bare] != nil && f.Kind != "list":
		f.Value = ix.enums[bare]
	case strings.Contains(t, "Literal["):
		lit := t[strings.Index(t, "Literal[")+len("Literal["):]
		first := strings.TrimSpace(splitTop(strings.TrimSuffix(lit, "]"))[0])
		if s := strings.Trim(first, `"'`); s != first {
			f.Value = s
		}
	}
	return f
}

// restxFields are the fields of a flask-restx/restplus model: the dict of
// api.model("Name", {...}), after a parent's for api.inherit/clone.
func (ix *models) restxFields(call *python.Node, depth int) []field {
	var fs []field
	args := call.ChildByField("arguments").NamedChildren()
	for _, a := range args {
		switch a.Kind {
		case "identifier", "attribute":
			if p := ix.restx[lastName(a.Text())]; p != nil && p != call && depth < 3 {
				fs = append(fs, ix.restxFields(p, depth+1)...)
			}
		case "dictionary":
			for _, pair := range a.NamedChildren() {
				if pair.Kind != "pair" {
					continue
				}
				k, ok := pair.ChildByField("key").StringValue()
				if !ok {
					continue
				}
				fs = append(fs, ix.restxField(k, pair.ChildByField("value"), depth))
			}
		}
	}
	return fs
}

// restxField reads one fields.X(...) of a restx model.
func (ix *models) restxField(name string, v *python.Node, depth int) field {
	f := field{Name: name}
	if v == nil {
		return f
	}
	fn := v
	if v.Kind == "call" {
		fn = v.ChildByField("function")
	}
	f.Kind = kindOf(fn.Text())
	if v.Kind != "call" {
		return f
	}
	args := v.ChildByField("arguments").NamedChildren()
	var first *python.Node
	if len(args) > 0 && args[0].Kind != "keyword_argument" {
		first = args[0]
	}
	for _, a := range args {
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "enum" {
			if l := a.ChildByField("value").NamedChildren(); len(l) > 0 {
				if s, ok := l[0].StringValue(); ok {
					f.Value = s
				}
			}
		}
		if a.Kind == "keyword_argument" && a.ChildByField("name").Text() == "readonly" && a.ChildByField("value").Text() == "True" {
			return field{}
		}
	}
	switch {
	case first == nil:
	case f.Kind == "object" && depth < 3:
		if m := ix.restx[lastName(first.Text())]; m != nil {
			f.Nested = ix.restxFields(m, depth+1)
		}
	case f.Kind == "list" && first.Kind == "call" && kindOf(first.ChildByField("function").Text()) == "object" && depth < 3:
		if in := first.ChildByField("arguments").NamedChildren(); len(in) > 0 {
			if m := ix.restx[lastName(in[0].Text())]; m != nil {
				f.Nested = ix.restxFields(m, depth+1)
			}
		}
	}
	return f
}
