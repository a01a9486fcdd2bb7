package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// parserFields are the arguments added to the parser named recv that a
// body carries (not those read from the query string, headers, cookies or
// files): the parser's add_argument calls in the handler, its class (for
// self.parser) or anywhere by its name, after those of the parser it
// copies. form: every body argument is read from the form.
func (ix *models) parserFields(def *python.Node, recv string) ([]field, bool) {
	recv = strings.TrimSpace(recv)
	var scope *python.Node
	owner := "" // the class a Cls.parser receiver names
	if strings.HasPrefix(recv, "self.") || strings.HasPrefix(recv, "cls.") {
		scope = def.Ancestor("class_definition")
	} else if i := strings.LastIndex(recv, "."); i > 0 {
		owner = lastName(recv[:i])
	}
	var fs []field
	forms, bodies := 0, 0
	seen := map[string]bool{}
	for hop := 0; hop < 3 && recv != "" && !seen[recv]; hop++ {
		seen[recv] = true
		var adds []*python.Node
		for _, call := range ix.adds {
			obj := call.ChildByField("function").ChildByField("object").Text()
			switch {
			case obj == recv && (scope == nil || scope.Contains(call)):
			case classAttr(call, obj, recv, scope, owner):
			default:
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

// classAttr: an add_argument on a parser that is a class attribute
// (class Items(Resource): parser = reqparse.RequestParser();
// parser.add_argument(...)) — its call sits in the class body, not in a
// method — reached as self.parser or cls.parser from a method of that
// class (scope), or as Items.parser (owner) from anywhere.
func classAttr(call *python.Node, obj, recv string, scope *python.Node, owner string) bool {
	if obj != lastName(recv) || obj == recv {
		return false
	}
	c := call.Ancestor("class_definition")
	if c == nil {
		return false
	}
	if fn := call.Ancestor("function_definition"); fn != nil && c.Contains(fn) {
		return false
	}
	if scope != nil {
		return c == scope
	}
	return owner != "" && c.ChildByField("name").Text() == owner
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

// argsRoot: an expression that is the request's query string.
func argsRoot(n *python.Node) bool {
	if n.Kind != "attribute" {
		return false
	}
	t := n.Text()
	return t == "request.args" || t == "flask.request.args"
}

// Queries returns, per "METHOD /path" of a write route, the query
// parameters its handler reads (request.args.get("new_price")), with
// placeholders by name: a write whose new value travels in the URL
// (PATCH /update-price/<id>?new_price=...) carries them.
func Queries(proj *flask.Project) map[string]map[string]any {
	out := map[string]map[string]any{}
	if proj == nil {
		return out
	}
	for _, r := range proj.Routes {
		if r.Def == nil {
			continue
		}
		v := readBody(r.Def, argsRoot)
		if len(v) == 0 {
			continue
		}
		path, _ := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			m = strings.ToUpper(m)
			if m != "GET" && m != "HEAD" && m != "OPTIONS" {
				out[m+" "+path] = v
			}
		}
	}
	return out
}
