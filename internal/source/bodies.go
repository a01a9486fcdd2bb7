package source

import (
	"fmt"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Body is the JSON body a route's handler reads, as its code shows it:
// the fields it takes from request.get_json() / request.json, nested under
// the keys it unwraps first ({"article": {"title": ...}}), with where.
type Body struct {
	Value map[string]any
	Where string // file:line of the handler
	// Form: the handler reads request.form (a form body), not JSON.
	Form bool
	// Files are the uploads the handler reads from request.files: field →
	// the kind of file it opens them as (see uploadKind). A body with
	// files is sent as multipart/form-data.
	Files map[string]string
}

// Bodies returns, per "METHOD /path" of a write route, the body its
// handler reads: the marshmallow schema its @use_kwargs loads (with the
// envelope its @pre_load unwraps) or it loads the request's JSON with, else the flask-restx model of its
// @expect, the reqparse arguments it parses, or the pydantic model or
// dataclass it builds from the request (see models), or the required columns
// of the SQLAlchemy model it builds from it (User(**data), see ormModels), with the keys the
// handler reads itself besides it, else the keys it subscripts, .get()s or
// .pop()s on the request's JSON or form, directly or through the variables it
// assigns it to, else (a handler reading none) the body the project
// functions it calls read (return TaskController.addtask()). Values are
// booleans where a model's Boolean column has their name (columns),
// else placeholders by name (an email, a password, a list, else a string): a
// validation answer corrects them.
func Bodies(proj *flask.Project) map[string]Body {
	out, _ := bodies(proj)
	return out
}

// ReadBodies returns, per "GET /path", the body a GET route's handler
// reads (a view that takes the object's id from a JSON body on a GET,
// GET /taskdone {"task_id": ...}), found as Bodies finds a write's. Such a
// GET may change what it names: the checks send it only with
// --allow-writes.
func ReadBodies(proj *flask.Project) map[string]Body {
	_, out := bodies(proj)
	return out
}

func bodies(proj *flask.Project) (out, gets map[string]Body) {
	out, gets = map[string]Body{}, map[string]Body{}
	if proj == nil {
		return out, gets
	}
	ix, mx, cols, orm := indexSchemas(proj), indexModels(proj), indexColumns(proj), indexORM(proj)
	for _, r := range proj.Routes {
		if r.Def == nil {
			continue
		}
		v, form := ix.useKwargs(r.Def), false
		if len(v) == 0 {
			v = ix.loads(r.Def)
		}
		if len(v) == 0 {
			v, form = mx.modelBody(r.Def)
			if len(v) > 0 && !form {
				// The handler may read fields besides the model's:
				// pw = data.pop("password"); User(**data) builds the
				// model from the rest, so the password is a field too.
				for k, x := range readBody(r.Def, jsonRoot) {
					if _, ok := v[k]; !ok {
						v[k] = x
					}
				}
			}
		}
		if len(v) == 0 {
			v = readDelegated(proj, r.Def, jsonRoot)
			cols.retype(v)
		}
		if len(v) == 0 {
			v, form = readDelegated(proj, r.Def, formRoot), true
		}
		// User(**data): the SQLAlchemy model built from the body needs its
		// required columns besides the fields the handler reads itself.
		if extra := orm.body(r.Def); len(extra) > 0 {
			cols.retype(extra)
			if len(v) == 0 {
				v, form = map[string]any{}, strings.Contains(r.Def.Text(), "request.form")
			}
			for k, x := range extra {
				if _, ok := v[k]; !ok {
					v[k] = x
				}
			}
		}
		files := uploads(r.Def)
		if len(files) > 0 {
			if v == nil || !form {
				// An upload comes with form fields, never JSON.
				v = readBody(r.Def, formRoot)
			}
			form = true
		}
		if len(v) == 0 && len(files) == 0 {
			continue
		}
		path, _ := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			m = strings.ToUpper(m)
			b := Body{Value: v, Where: fmt.Sprintf("%s:%d", r.File, r.Def.Line), Form: form, Files: files}
			switch {
			case m == "GET" && !form && len(files) == 0:
				gets[m+" "+path] = b
			case m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "DELETE":
			default:
				out[m+" "+path] = b
			}
		}
	}
	return out, gets
}

// readBody follows the request's body, as root recognises it, through one
// function.
func readBody(def *python.Node, root func(*python.Node) bool) map[string]any {
	vars := map[string][]string{} // variable → the path into the body it holds
	leaves := map[string][]string{}
	// loops: a loop variable over a literal list of strings ("for k in
	// ("title", "body"): a[k] = body[k]") names each of them.
	loops := map[string][]string{}
	containers := map[string]bool{} // variables read as a mapping
	// serverKeys: keys a dict literal set before the body was merged into
	// it (data = {"username": caller}; data.update(request.get_json())):
	// the server's values, which the body may override, not its fields.
	serverKeys := map[string]map[string]bool{}
	serverKey := func(base *python.Node, k string) bool {
		return base != nil && base.Unparen().Kind == "identifier" && serverKeys[base.Unparen().Text()][k]
	}
	asContainer := func(n *python.Node) {
		if n != nil && n.Unparen().Kind == "identifier" {
			containers[n.Unparen().Text()] = true
		}
	}
	def.Walk(func(n *python.Node) bool {
		if n.Kind == "for_statement" {
			left, right := n.ChildByField("left"), n.ChildByField("right")
			if left != nil && left.Kind == "identifier" && right != nil && (right.Kind == "tuple" || right.Kind == "list") {
				var ss []string
				for _, it := range right.NamedChildren() {
					if v, ok := it.StringValue(); ok {
						ss = append(ss, v)
					}
				}
				loops[left.Text()] = ss
			}
		}
		return true
	})
	// pathOf: the body path an expression denotes, if it reads the body.
	var pathOf func(n *python.Node) ([]string, bool)
	pathOf = func(n *python.Node) ([]string, bool) {
		if n == nil {
			return nil, false
		}
		n = n.Unparen()
		if root(n) {
			return []string{}, true
		}
		switch n.Kind {
		case "identifier":
			p, ok := vars[n.Text()]
			return p, ok
		case "boolean_operator":
			// (request.get_json() or {}): the left side.
			return pathOf(n.ChildByField("left"))
		case "call":
			fn := n.ChildByField("function")
			if fn.Kind == "identifier" && fn.Text() == "dict" || jsonLoads(fn.Text()) {
				// dict(request.get_json()), json.loads(request.data): the
				// same mapping.
				if args := n.ChildByField("arguments").NamedChildren(); len(args) == 1 {
					return pathOf(args[0])
				}
			}
			if fn.Kind == "attribute" && (fn.ChildByField("attribute").Text() == "get" ||
				fn.ChildByField("attribute").Text() == "pop" && len(n.ChildByField("arguments").NamedChildren()) == 1) {
				// data.pop("password") reads a field as .get does;
				// data.pop("csrf_token", None) only drops one.
				if base, ok := pathOf(fn.ChildByField("object")); ok {
					asContainer(fn.ChildByField("object"))
					if k, ok := firstString(n.ChildByField("arguments")); ok && !serverKey(fn.ChildByField("object"), k) {
						return append(append([]string(nil), base...), k), true
					}
				}
			}
		case "subscript":
			if base, ok := pathOf(n.ChildByField("value")); ok {
				asContainer(n.ChildByField("value"))
				if k, ok := n.ChildByField("subscript").StringValue(); ok && !serverKey(n.ChildByField("value"), k) {
					return append(append([]string(nil), base...), k), true
				}
			}
		}
		return nil, false
	}
	// required: a field the code refuses unless it holds one literal
	// (body.get("grant_type") != "password"): that literal is its value.
	required := map[string]string{}
	// typed: a field read with a number or boolean default
	// (data.get("price", 0.0)) takes a value of that type.
	typed := map[string]any{}
	def.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "comparison_operator":
			if ops := n.NamedChildren(); len(ops) == 2 {
				mid := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(n.Text(), ops[0].Text()), ops[1].Text()))
				if p, ok := pathOf(ops[0]); ok && len(p) > 0 && mid == "!=" {
					if lit, ok := ops[1].StringValue(); ok && lit != "" {
						required[strings.Join(p, "\x00")] = lit
					}
				}
				// 'password' not in data: a field the handler looks for.
				if k, ok := ops[0].StringValue(); ok && k != "" && (mid == "in" || mid == "not in") {
					if base, ok := pathOf(ops[1]); ok && !serverKey(ops[1], k) {
						asContainer(ops[1])
						p := append(append([]string(nil), base...), k)
						leaves[strings.Join(p, "\x00")] = p
					}
				}
			}
		case "assignment":
			left := n.ChildByField("left")
			if left != nil && left.Kind == "identifier" {
				if p, ok := pathOf(n.ChildByField("right")); ok {
					vars[left.Text()] = p
				} else if r := n.ChildByField("right"); r != nil && r.Unparen().Kind == "dictionary" {
					keys := map[string]bool{}
					for _, pair := range r.Unparen().NamedChildren() {
						if k, ok := pair.ChildByField("key").StringValue(); ok && pair.Kind == "pair" {
							keys[k] = true
						}
					}
					serverKeys[left.Text()] = keys
				}
			}
		case "call", "subscript":
			// data.update(request.get_json()): data holds the body now.
			if fn := n.ChildByField("function"); n.Kind == "call" && fn != nil && fn.Kind == "attribute" &&
				fn.ChildByField("attribute").Text() == "update" && fn.ChildByField("object").Unparen().Kind == "identifier" {
				if args := n.ChildByField("arguments"); args != nil && len(args.NamedChildren()) == 1 {
					if p, ok := pathOf(args.NamedChildren()[0]); ok {
						vars[fn.ChildByField("object").Unparen().Text()] = p
					}
				}
			}
			if p, ok := pathOf(n); ok && len(p) > 0 {
				leaves[strings.Join(p, "\x00")] = p
				if v, ok := literalDefault(n); ok {
					// A conversion around the read (seen first) decides.
					if _, conv := typed[strings.Join(p, "\x00")]; !conv {
						typed[strings.Join(p, "\x00")] = v
					}
				}
			}
			// float(data["price"]), int(data.get("stock", 0)): the handler
			// converts the field to a number, so a word there is a 500.
			if v, arg, ok := conversion(n); ok {
				if p, ok := pathOf(arg); ok && len(p) > 0 {
					typed[strings.Join(p, "\x00")] = v
				}
			}
			if n.Kind == "subscript" {
				if idx := n.ChildByField("subscript"); idx != nil && idx.Kind == "identifier" {
					if base, ok := pathOf(n.ChildByField("value")); ok {
						for _, k := range loops[idx.Text()] {
							p := append(append([]string(nil), base...), k)
							leaves[strings.Join(p, "\x00")] = p
						}
					}
				}
			}
		}
		return true
	})
	// A path held in a variable is a container whose fields were read
	// some other way: not a field of its own.
	for v, p := range vars {
		if containers[v] {
			delete(leaves, strings.Join(p, "\x00"))
		}
	}
	// A path that another extends is an envelope, not a field.
	keys := make([]string, 0, len(leaves))
	for k := range leaves {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	body := map[string]any{}
	for _, k := range keys {
		p := leaves[k]
		inner := false
		for _, o := range keys {
			if o != k && strings.HasPrefix(o, k+"\x00") {
				inner = true
			}
		}
		if inner {
			continue
		}
		m := body
		for _, seg := range p[:len(p)-1] {
			next, ok := m[seg].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[seg] = next
			}
			m = next
		}
		if lit, ok := required[k]; ok {
			m[p[len(p)-1]] = lit
			continue
		}
		if v, ok := typed[k]; ok {
			m[p[len(p)-1]] = v
			continue
		}
		m[p[len(p)-1]] = placeholder(p[len(p)-1])
	}
	return body
}
