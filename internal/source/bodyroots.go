package source

import (
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// Where a handler's body comes from (the request's JSON or form, in the
// view, the functions it delegates to, or its decorator's wrapper), and
// the values its fields take (defaults, conversions, placeholders).

// readDelegated is the body the view reads, else the one the first
// project function it hands the request to reads (a view that only
// returns TaskController.add()).
func readDelegated(proj *flask.Project, def *python.Node, root func(*python.Node) bool) map[string]any {
	if v := readBody(def, root); len(v) > 0 {
		return v
	}
	for _, d := range proj.Delegates(def) {
		if proj.RefusalBuilder(d) {
			continue // a helper that builds the refusal reads no request body
		}
		if v := readBody(d, root); len(v) > 0 {
			return v
		}
	}
	for _, d := range decorators(proj, def) {
		if v := readBody(d, root); len(v) > 0 {
			return v
		}
	}
	return nil
}

// decorators are the project functions decorating def (@wrap_login,
// @generate_pwd_token(...)): a view whose own body is only `pass` may be
// served by the wrapper its decorator returns, which reads the request.
func decorators(proj *flask.Project, def *python.Node) []*python.Node {
	dd := def.Parent
	if dd == nil || dd.Kind != "decorated_definition" {
		return nil
	}
	m := proj.ModuleOf(def)
	if m == nil {
		return nil
	}
	var out []*python.Node
	for _, d := range dd.NamedChildren() {
		if d.Kind != "decorator" || len(d.NamedChildren()) == 0 {
			continue
		}
		e := d.NamedChildren()[0].Unparen()
		if e.Kind == "call" {
			e = e.ChildByField("function").Unparen()
		}
		if name := e.DottedName(); name != "" {
			if _, fn := proj.ResolveFunc(m, name); fn != nil && fn != def {
				out = append(out, fn)
			}
		}
	}
	return out
}

// jsonRoot: an expression that is the request's JSON body.
// request.data and request.get_data() are the raw body: a handler reading
// fields from them parses it (json.loads(request.data)) or runs under a
// framework that does (Flask-API's request.data is the parsed JSON): both
// are read here only through the keys the code takes from them.
func jsonRoot(n *python.Node) bool {
	switch n.Kind {
	case "attribute":
		switch n.Text() {
		case "request.json", "flask.request.json", "request.data", "flask.request.data":
			return true
		}
	case "call":
		fn := n.ChildByField("function").Text()
		return strings.HasSuffix(fn, "request.get_json") || strings.HasSuffix(fn, "request.get_data")
	}
	return false
}

// jsonLoads: fn parses a JSON text into the mapping (json.loads).
func jsonLoads(fn string) bool {
	switch fn {
	case "json.loads", "loads", "ujson.loads", "orjson.loads", "simplejson.loads", "flask.json.loads":
		return true
	}
	return false
}

// formRoot: an expression that is the request's form.
func formRoot(n *python.Node) bool {
	if n.Kind != "attribute" {
		return false
	}
	t := n.Text()
	return t == "request.form" || t == "flask.request.form" || t == "request.values"
}

// literalDefault is the value to send for a field read as
// body.get("key", default) with a number or boolean default: the
// default's type, a positive number (0.0 → 1.5, 0 → 1), the boolean
// itself.
func literalDefault(call *python.Node) (any, bool) {
	if call.Kind != "call" {
		return nil, false
	}
	args := call.ChildByField("arguments")
	if args == nil {
		return nil, false
	}
	as := args.NamedChildren()
	if len(as) != 2 {
		return nil, false
	}
	d := as[1].Unparen()
	switch d.Kind {
	case "true":
		return true, true
	case "false":
		return false, true
	case "integer":
		if n, err := strconv.ParseInt(d.Text(), 10, 64); err == nil {
			return max(n, 1), true
		}
	case "unary_operator": // -1, -2.5
		if n, err := strconv.ParseInt(d.Text(), 10, 64); err == nil {
			return max(n, 1), true
		}
		if f, err := strconv.ParseFloat(d.Text(), 64); err == nil && f <= 0 {
			return 1.5, true
		}
	case "float":
		if f, err := strconv.ParseFloat(d.Text(), 64); err == nil {
			if f <= 0 {
				f = 1.5
			}
			return f, true
		}
	}
	return nil, false
}

// conversion: a call that converts its one argument to a number
// (int(x), float(x), Decimal(x)) or decodes it (base64.b64decode(x),
// uuid.UUID(x), date.fromisoformat(x)), with a value it accepts and the
// argument; datetime.strptime(x, format) takes a date in its format.
func conversion(call *python.Node) (any, *python.Node, bool) {
	if call.Kind != "call" {
		return nil, nil, false
	}
	args := call.ChildByField("arguments")
	if args == nil || args.Kind != "argument_list" {
		return nil, nil, false
	}
	// datetime.strptime(x, "%Y-%m-%d"): a date written in that format.
	if as := args.NamedChildren(); len(as) == 2 && lastName(call.ChildByField("function").Text()) == "strptime" {
		if f, ok := as[1].StringValue(); ok {
			return strptimeValue(f), as[0], true
		}
	}
	if len(args.NamedChildren()) != 1 {
		return nil, nil, false
	}
	var v any
	switch lastName(call.ChildByField("function").Text()) {
	case "int":
		v = int64(1)
	case "float", "Decimal":
		v = 1.5
	case "b64decode", "standard_b64decode", "urlsafe_b64decode":
		v = "QXV0aHByb2JlLXB3LTE=" // "Authprobe-pw-1"
	case "UUID":
		v = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
	case "fromisoformat":
		v = "2026-01-02"
	default:
		return nil, nil, false
	}
	return v, args.NamedChildren()[0], true
}

func firstString(args *python.Node) (string, bool) {
	if args == nil {
		return "", false
	}
	for _, a := range args.NamedChildren() {
		return a.StringValue()
	}
	return "", false
}

// placeholder is a value for a field by its name.
func placeholder(field string) any {
	l := strings.ToLower(field)
	switch {
	case strings.Contains(l, "email"):
		return "authprobe@example.com"
	case strings.Contains(l, "password"):
		return "Authprobe-pw-1"
	case strings.HasSuffix(l, "list") || strings.HasSuffix(l, "ids") || strings.HasSuffix(l, "tags"):
		return []any{}
	case strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "count") || strings.HasSuffix(l, "quantity") || l == "amount":
		return int64(1)
	}
	return "authprobe"
}

// strptimeValue is a date (2026-01-02 10:30:00) written in a strptime
// format.
func strptimeValue(format string) string {
	return strings.NewReplacer("%Y", "2026", "%y", "26", "%m", "01", "%d", "02", "%H", "10", "%I", "10",
		"%M", "30", "%S", "00", "%f", "000000", "%z", "+0000", "%b", "Jan", "%B", "January", "%p", "AM",
		"%a", "Fri", "%A", "Friday", "%j", "002", "%%", "%").Replace(format)
}
