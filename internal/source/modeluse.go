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

// parserFields are the arguments added to the parser named recv that a
// body carries (not those read from the query string, headers, cookies or
// files): the parser's add_argument calls in the handler, its class (for
// self.parser) or anywhere by its name, after those of the parser it
// copies. form: every body argument is read from the form.
func (ix *models) parserFields(def *python.Node, recv string) ([]field, bool) {
	recv = strings.TrimSpace(recv)
	var scope *python.Node
	if strings.HasPrefix(recv, "self.") || strings.HasPrefix(recv, "cls.") {
		scope = def.Ancestor("class_definition")
	}
	var fs []field
	forms, bodies := 0, 0
	seen := map[string]bool{}
	for hop := 0; hop < 3 && recv != "" && !seen[recv]; hop++ {
		seen[recv] = true
		var adds []*python.Node
		for _, call := range ix.adds {
			if call.ChildByField("function").ChildByField("object").Text() != recv {
				continue
			}
			if scope != nil && !scope.Contains(call) {
				continue
			}
			adds = append(adds, call)
		}
		// The handler's own parser, when it builds one, wins over a
		// module-level one of the same name.
		var local []*python.Node
		for _, call := range adds {
			if def.Contains(call) {
				local = append(local, call)
			}
		}
		var sameFile []*python.Node
		for _, call := range adds {
			if call.File == def.File {
				sameFile = append(sameFile, call)
			}
		}
		switch {
		case len(local) > 0:
			adds = local
		case len(sameFile) > 0:
			adds = sameFile
		}
		for _, call := range adds {
			f, where, ok := argument(call)
			if !ok {
				continue
			}
			switch where {
			case "skip":
				continue
			case "form":
				forms++
			}
			bodies++
			fs = append([]field{f}, fs...)
		}
		recv = ix.copies[lastName(recv)]
	}
	return fs, bodies > 0 && forms == bodies
}

// argument reads one add_argument("name", type=int, required=True,
// location="json", action="append", choices=(...)): the field and where it
// is read from ("json", "form", or "skip" for the query string, headers,
// cookies and files).
func argument(call *python.Node) (field, string, bool) {
	args := call.ChildByField("arguments").NamedChildren()
	if len(args) == 0 {
		return field{}, "", false
	}
	name, ok := args[0].StringValue()
	if !ok {
		return field{}, "", false
	}
	f := field{Name: strings.TrimLeft(name, "-")}
	where := "json"
	for _, a := range args[1:] {
		if a.Kind != "keyword_argument" {
			continue
		}
		v := a.ChildByField("value")
		switch a.ChildByField("name").Text() {
		case "type":
			f.Kind = kindOf(v.Text())
		case "action":
			if s, _ := v.StringValue(); s == "append" {
				f.Kind = "list"
			}
		case "choices":
			if l := v.NamedChildren(); len(l) > 0 {
				if s, ok := l[0].StringValue(); ok {
					f.Value = s
				} else if n, ok := l[0].IntValue(); ok {
					f.Value = n
				}
			}
		case "dest":
			// The name the handler reads; the client still sends name.
		case "location":
			where = location(v)
		}
	}
	return f, where, true
}

// location is where a reqparse argument is read: json when the JSON body
// is among its locations, form when the form is, else skip.
func location(v *python.Node) string {
	var locs []string
	if s, ok := v.StringValue(); ok {
		locs = []string{s}
	} else {
		for _, it := range v.NamedChildren() {
			if s, ok := it.StringValue(); ok {
				locs = append(locs, s)
			}
		}
	}
	where := "skip"
	for _, l := range locs {
		switch l {
		case "json":
			return "json"
		case "form", "values":
			where = "form"
		}
	}
	return where
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
