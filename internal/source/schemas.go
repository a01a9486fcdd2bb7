package source

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// schemas indexes the project's marshmallow schemas: classes deriving
// from a Schema, and module-level instances of them (article_schema =
// ArticleSchema()), by bare name.
type schemas struct {
	classes   map[string]*python.Node // class name → class_definition
	instances map[string]string       // variable → class name
}

func indexSchemas(proj *flask.Project) *schemas {
	ix := &schemas{classes: map[string]*python.Node{}, instances: map[string]string{}}
	for _, m := range proj.Modules {
		for _, c := range m.File.OfKind("class_definition") {
			if sup := c.ChildByField("superclasses"); sup != nil && strings.Contains(sup.Text(), "Schema") {
				ix.classes[c.ChildByField("name").Text()] = c
			}
		}
	}
	for _, m := range proj.Modules {
		for _, a := range m.File.OfKind("assignment") {
			left, right := a.ChildByField("left"), a.ChildByField("right")
			if left == nil || right == nil || left.Kind != "identifier" || right.Kind != "call" {
				continue
			}
			if cls := lastName(right.ChildByField("function").Text()); ix.classes[cls] != nil {
				ix.instances[left.Text()] = cls
			}
		}
	}
	return ix
}

// useKwargs reads a handler's @use_kwargs(schema) (flask-apispec,
// webargs): the body its schema loads, in the envelope its @pre_load
// unwraps ({"article": {...}}); nil when it has none.
func (ix *schemas) useKwargs(def *python.Node) map[string]any {
	dd := def.Parent
	if dd == nil || dd.Kind != "decorated_definition" {
		return nil
	}
	for _, d := range dd.NamedChildren() {
		if d.Kind != "decorator" {
			continue
		}
		call := d.NamedChildren()
		if len(call) == 0 || call[0].Kind != "call" || lastName(call[0].ChildByField("function").Text()) != "use_kwargs" {
			continue
		}
		args := call[0].ChildByField("arguments").NamedChildren()
		if len(args) == 0 {
			continue
		}
		arg := args[0]
		name := lastName(arg.Text())
		if arg.Kind == "call" {
			name = lastName(arg.ChildByField("function").Text())
		}
		if cls := ix.instances[name]; cls != "" {
			name = cls
		}
		if c := ix.classes[name]; c != nil {
			return takes(def, ix.body(c, 0))
		}
	}
	return nil
}

// loads reads a handler that validates the request's JSON with a
// marshmallow schema itself (data = article_schema.load(request.get_json()),
// or through a variable holding the JSON, or ArticleSchema().load(...)):
// the body that schema loads; nil when it has none.
func (ix *schemas) loads(def *python.Node) map[string]any {
	held := map[string]bool{} // variables assigned the request's JSON
	def.Walk(func(n *python.Node) bool {
		if n.Kind == "assignment" {
			if left, right := n.ChildByField("left"), n.ChildByField("right"); left != nil && right != nil && left.Kind == "identifier" && jsonOf(right) {
				held[left.Text()] = true
			}
		}
		return true
	})
	var out map[string]any
	def.Walk(func(n *python.Node) bool {
		if out != nil || n.Kind != "call" {
			return out == nil
		}
		fn := n.ChildByField("function")
		if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "load" {
			return true
		}
		args := n.ChildByField("arguments").NamedChildren()
		if len(args) == 0 {
			return true
		}
		if a := args[0].Unparen(); !jsonOf(a) && !(a.Kind == "identifier" && held[a.Text()]) {
			return true
		}
		obj := fn.ChildByField("object").Unparen()
		name := lastName(obj.Text())
		if obj.Kind == "call" {
			name = lastName(obj.ChildByField("function").Text())
		}
		if cls := ix.instances[name]; cls != "" {
			name = cls
		}
		if c := ix.classes[name]; c != nil {
			out = ix.body(c, 0)
		}
		return out == nil
	})
	return out
}

// jsonOf: n is the request's JSON, or it or-ed with a default
// (request.get_json() or {}).
func jsonOf(n *python.Node) bool {
	n = n.Unparen()
	if n.Kind == "boolean_operator" {
		n = n.ChildByField("left").Unparen()
	}
	return jsonRoot(n)
}

// body is the load shape of a schema class: its fields that a client
// sends (not dump_only, not nested schemas), in its @pre_load envelope.
func (ix *schemas) body(cls *python.Node, depth int) map[string]any {
	fs, envelope := ix.fields(cls, depth)
	if envelope != "" {
		return map[string]any{envelope: bodyOf(fs)}
	}
	return bodyOf(fs)
}

// fields are a schema class's load fields, its bases' first, and the key
// its @pre_load unwraps.
func (ix *schemas) fields(cls *python.Node, depth int) ([]field, string) {
	var fs []field
	if sup := cls.ChildByField("superclasses"); sup != nil && depth < 3 {
		for _, s := range sup.NamedChildren() {
			if base := ix.classes[lastName(s.Text())]; base != nil && base != cls {
				inherited, _ := ix.fields(base, depth+1)
				fs = append(fs, inherited...)
			}
		}
	}
	envelope := ""
	for _, st := range cls.ChildByField("body").NamedChildren() {
		switch {
		case st.Kind == "expression_statement" && len(st.NamedChildren()) == 1 && st.NamedChildren()[0].Kind == "assignment":
			a := st.NamedChildren()[0]
			left, right := a.ChildByField("left"), a.ChildByField("right")
			if left == nil || right == nil || left.Kind != "identifier" || right.Kind != "call" {
				continue
			}
			fn := right.ChildByField("function").Text()
			if !strings.HasPrefix(fn, "fields.") || strings.Contains(right.Text(), "dump_only=True") || strings.HasSuffix(fn, "Nested") {
				continue
			}
			fs = append(fs, field{Name: left.Text(), Kind: kindOf(strings.TrimPrefix(fn, "fields."))})
		case st.Kind == "decorated_definition" && strings.Contains(st.Text(), "@pre_load"):
			if m := unwrap.FindStringSubmatch(st.Text()); m != nil {
				envelope = m[1]
			}
		}
	}
	return fs, envelope
}

// unwrap finds the key a @pre_load hook takes the payload from:
// data['article'], data.get("user").
var unwrap = regexp.MustCompile(`\w+(?:\[|\.get\()['"](\w+)['"]`)

// payloadOf is a body's fields, inside its one-key envelope if any.
func payloadOf(b map[string]any) map[string]any {
	if len(b) == 1 {
		for _, v := range b {
			if m, ok := v.(map[string]any); ok {
				return m
			}
		}
	}
	return b
}

func lastName(dotted string) string {
	dotted = strings.TrimSpace(dotted)
	return dotted[strings.LastIndex(dotted, ".")+1:]
}

// takes keeps the fields a handler accepts: use_kwargs passes each loaded
// field as a keyword argument, so a handler without **kwargs takes only
// its parameters (another field would be a TypeError, a 500).
func takes(def *python.Node, body map[string]any) map[string]any {
	params := def.ChildByField("parameters")
	if params == nil || strings.Contains(params.Text(), "**") {
		return body
	}
	names := map[string]bool{}
	for _, p := range params.NamedChildren() {
		n := p
		if p.Kind != "identifier" {
			n = p.ChildByField("name")
			if n == nil && len(p.NamedChildren()) > 0 {
				n = p.NamedChildren()[0]
			}
		}
		if n != nil {
			names[n.Text()] = true
		}
	}
	inner := payloadOf(body)
	for k := range inner {
		if !names[k] {
			delete(inner, k)
		}
	}
	return body
}
