package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// modelBody is the body a handler's code declares through a model: the
// flask-restx model (or parser) of its @expect, the reqparse parser it calls
// parse_args() on, or the pydantic model or dataclass it builds from the
// request (Model(**request.json), Model.model_validate(data), a
// flask-pydantic parameter annotated with the model), or the JSON Schema
// it validates the request against (jsonschema). form is true when
// every argument of the parser is read from the form.
func (ix *models) modelBody(def *python.Node) (map[string]any, bool) {
	if fs := ix.expect(def); len(fs) > 0 {
		return bodyOf(fs), false
	}
	var found []field
	form := false
	def.Walk(func(n *python.Node) bool {
		if found != nil || n.Kind != "call" {
			return found == nil
		}
		fn := n.ChildByField("function")
		if fn == nil {
			return true
		}
		if fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "parse_args" {
			found, form = ix.parserFields(def, fn.ChildByField("object").Text())
			return found == nil
		}
		if c := ix.builtFromRequest(def, n); c != nil {
			found = ix.classFields(c, 0)
		} else if fs := ix.schemaValidated(def, n); len(fs) > 0 {
			found = fs
		}
		return found == nil
	})
	if len(found) == 0 {
		found = ix.annotatedParam(def)
	}
	if len(found) == 0 {
		return nil, false
	}
	return bodyOf(found), form
}

// expect reads @X.expect(model) (flask-restx, flask-restplus): the model's
// fields, or the parser's arguments when it names a reqparse parser.
func (ix *models) expect(def *python.Node) []field {
	dd := def.Parent
	if dd == nil || dd.Kind != "decorated_definition" {
		return nil
	}
	for _, d := range dd.NamedChildren() {
		call := d.NamedChildren()
		if d.Kind != "decorator" || len(call) == 0 || call[0].Kind != "call" {
			continue
		}
		fn := call[0].ChildByField("function")
		if fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "expect" {
			continue
		}
		for _, a := range call[0].ChildByField("arguments").NamedChildren() {
			if a.Kind == "keyword_argument" {
				continue
			}
			name := lastName(a.Text())
			if m := ix.restx[name]; m != nil {
				return ix.restxFields(m, 0)
			}
			if fs, _ := ix.parserFields(def, a.Text()); len(fs) > 0 {
				return fs
			}
		}
	}
	return nil
}

// builtFromRequest: a call that builds a model from the request's body —
// Model(**X), Model.model_validate(X), Model.parse_obj(X), parse_raw,
// model_validate_json, from_dict — where X is the request's JSON, data or
// a variable the handler assigned from the request.
func (ix *models) builtFromRequest(def, call *python.Node) *python.Node {
	fn := call.ChildByField("function")
	args := call.ChildByField("arguments")
	if fn == nil || args == nil || len(args.NamedChildren()) == 0 {
		return nil
	}
	arg := args.NamedChildren()[0]
	var cls string
	switch {
	case fn.Kind == "identifier" && arg.Kind == "dictionary_splat":
		cls = fn.Text()
		arg = arg.NamedChildren()[0]
	case fn.Kind == "attribute":
		switch fn.ChildByField("attribute").Text() {
		case "model_validate", "parse_obj", "parse_raw", "model_validate_json", "validate", "from_dict", "from_json":
			cls = lastName(fn.ChildByField("object").Text())
		}
	}
	c := ix.classes[cls]
	if c == nil || !fromRequest(def, arg) {
		return nil
	}
	return c
}

// fromRequest: the expression is the request's body (request.json,
// request.get_json(), request.data, request.form) or a variable assigned
// from one in def, or updated with one (data.update(request.get_json())).
func fromRequest(def, x *python.Node) bool {
	if x == nil {
		return false
	}
	x = x.Unparen()
	if strings.Contains(x.Text(), "request.") || strings.Contains(x.Text(), "get_json") {
		return true
	}
	if x.Kind != "identifier" {
		return false
	}
	readsBody := func(n *python.Node) bool {
		return n != nil && (strings.Contains(n.Text(), "request.") || strings.Contains(n.Text(), "get_json"))
	}
	found := false
	def.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "assignment":
			if l := n.ChildByField("left"); l != nil && l.Text() == x.Text() && readsBody(n.ChildByField("right")) {
				found = true
			}
		case "call":
			// data.update(request.get_json())
			fn := n.ChildByField("function")
			if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "update" &&
				fn.ChildByField("object").Text() == x.Text() && readsBody(n.ChildByField("arguments")) {
				found = true
			}
		}
		return !found
	})
	return found
}

// annotatedParam: a handler parameter annotated with a model
// (flask-pydantic's @validate() def create(body: Item)).
func (ix *models) annotatedParam(def *python.Node) []field {
	params := def.ChildByField("parameters")
	if params == nil {
		return nil
	}
	for _, p := range params.NamedChildren() {
		if p.Kind != "typed_parameter" && p.Kind != "typed_default_parameter" {
			continue
		}
		t := p.ChildByField("type")
		if t == nil {
			continue
		}
		if c := ix.classes[lastName(t.Text())]; c != nil {
			name := ""
			if ns := p.NamedChildren(); len(ns) > 0 {
				name = ns[0].Text()
			}
			if name == "query" || strings.HasSuffix(name, "_query") {
				continue
			}
			return ix.classFields(c, 0)
		}
	}
	return nil
}
