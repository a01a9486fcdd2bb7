package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) evalCall(n *python.Node, depth int) Value {
	fn := n.ChildByField("function")
	args := n.ChildByField("arguments").NamedChildren()
	d := fn.DottedName()
	if v, ok := p.pathCall(n, d, args, depth); ok {
		return v
	}
	switch {
	case d == "os.environ.get" || d == "os.getenv" || d == "environ.get" || d == "getenv":
		if len(args) == 0 {
			break
		}
		name, _ := args[0].StringValue()
		v := Value{Kind: Env, EnvName: name, Node: n}
		if len(args) > 1 {
			v.Items = []Value{p.eval(args[1], depth+1)}
		}
		return v
	case isConfigExpr(fn.ChildByField("object")) && strings.HasSuffix(d, ".get"):
		if len(args) > 0 {
			if key, ok := args[0].StringValue(); ok {
				if v := p.configValueAt(n, key, depth); v.Known() {
					return v
				}
				if len(args) > 1 {
					return p.eval(args[1], depth+1)
				}
			}
		}
	case d == "itertools.chain" || d == "chain":
		// chain(a.items(), [(...)]): the lists one after the other.
		out := Value{Kind: List, Node: n}
		for _, a := range args {
			v := p.eval(a, depth+1)
			if v.Kind != List {
				return Value{Node: n}
			}
			out.Items = append(out.Items, v.Items...)
		}
		return out
	case d == "open" && len(args) >= 1 && p.rulePrefix != nil: // rules only
		if v := p.eval(args[0], depth+1); v.Kind == Str && v.Path {
			return v // the file at that path (json.load reads it)
		}
	case (d == "json.load" || d == "load" && strings.HasSuffix(p.ModuleOf(n).Qualify(d), "json.load")) && len(args) == 1 && p.rulePrefix != nil:
		return p.jsonFile(p.eval(args[0], depth+1), n)
	case d == "len" && len(args) == 1:
		if v := p.eval(args[0], depth+1); v.Kind == List || v.Kind == Dict {
			return Value{Kind: Int, I: int64(len(v.Items)), Node: n}
		} else if v.Kind == Str {
			return Value{Kind: Int, I: int64(len(v.S)), Node: n}
		}
	case d == "dict" && len(args) == 1 && args[0].Kind != "keyword_argument":
		if v := p.eval(args[0], depth+1); v.Kind == Dict {
			return v
		}
	case d == "dict" && allKeywords(args):
		// dict(route="/x", view="v"): a dict of its keywords.
		out := Value{Kind: Dict, Node: n}
		for _, a := range args {
			k := a.ChildByField("name")
			out.Keys = append(out.Keys, Value{Kind: Str, S: k.Text(), Node: k})
			out.Items = append(out.Items, p.eval(a.ChildByField("value"), depth+1))
		}
		return out
	case d == "str" || d == "list" || d == "tuple" || d == "set" || d == "frozenset":
		if len(args) == 1 {
			v := p.eval(args[0], depth+1)
			if d == "set" || d == "frozenset" {
				v.Set = true
			}
			return v
		}
	}
	if fn != nil && fn.Kind == "identifier" && len(args) == 1 && p.validator(fn) {
		return p.eval(args[0], depth+1) // schema(resources): the data, validated
	}
	if fn != nil && fn.Kind == "attribute" {
		recv := p.eval(fn.ChildByField("object"), depth+1)
		switch fn.ChildByField("attribute").Text() {
		case "split":
			if recv.Kind == Env || recv.Kind == Str || recv.Kind == Unknown && recv.Node != nil {
				return Value{Kind: Split, Origin: n, Node: n, Items: []Value{recv}}
			}
		case "items", "keys", "values":
			// for k, v in {"/a": a}.items(): the dict's entries.
			if recv.Kind == Dict && len(args) == 0 {
				out := Value{Kind: List, Node: n}
				for i := range recv.Items {
					k, v := recv.Keys[i], recv.Items[i]
					switch fn.ChildByField("attribute").Text() {
					case "items":
						out.Items = append(out.Items, Value{Kind: List, Items: []Value{k, v}, Node: n})
					case "keys":
						out.Items = append(out.Items, k)
					default:
						out.Items = append(out.Items, v)
					}
				}
				return out
			}
		case "join":
			if recv.Kind == Str && len(args) == 1 {
				return evalJoin(recv.S, p.eval(args[0], depth+1), n)
			}
		case "format":
			if recv.Kind == Str {
				return p.evalFormat(recv.S, argsOf(n), n, depth)
			}
		case "resolve", "absolute":
			if recv.Kind == Str && recv.Path && len(args) == 0 {
				return recv // Path(__file__).resolve()
			}
		case "startswith", "endswith":
			// if not url.startswith("/"): url = "/" + url
			if recv.Kind == Str && len(args) == 1 {
				if ss, ok := p.eval(args[0], depth+1).Strings(); ok {
					has := false
					for _, x := range ss {
						if fn.ChildByField("attribute").Text() == "startswith" {
							has = has || strings.HasPrefix(recv.S, x)
						} else {
							has = has || strings.HasSuffix(recv.S, x)
						}
					}
					return Value{Kind: Bool, B: has, Node: n}
				}
			}
		case "lstrip", "rstrip":
			if recv.Kind == Str {
				return strStrip(recv, fn.ChildByField("attribute").Text(), p.strArgs(args, depth), n)
			}
		case "strip", "lower", "upper", "encode", "decode":
			if recv.Kind == Str {
				switch fn.ChildByField("attribute").Text() {
				case "strip":
					return strStrip(recv, "strip", p.strArgs(args, depth), n)
				case "lower":
					return Value{Kind: Str, S: strings.ToLower(recv.S), Node: n}
				case "upper":
					return Value{Kind: Str, S: strings.ToUpper(recv.S), Node: n}
				}
			}
			if recv.Kind == Str || recv.Kind == Env || recv.Kind == Split {
				return recv
			}
		}
	}
	if v, ok := p.helperReturn(n, depth); ok {
		return v
	}
	return Value{Node: n}
}

// evalComprehension sees through "[k.strip() for k in X.split(',')]": the
// result is X's split, Filtered when an if clause drops elements.
func (p *Project) evalComprehension(n *python.Node, depth int) Value {
	var v Value
	filtered := false
	for _, c := range n.NamedChildren() {
		switch c.Kind {
		case "for_in_clause":
			v = p.eval(c.ChildByField("right"), depth+1)
		case "if_clause":
			filtered = true
		}
	}
	if v.Kind == Split {
		v.Filtered = v.Filtered || filtered
		v.Set = n.Kind == "set_comprehension"
		return v
	}
	return Value{Node: n}
}

// strArgs evaluates call arguments that must all be constant strings; nil
// when one is not.
func (p *Project) strArgs(args []*python.Node, depth int) []string {
	out := []string{}
	for _, a := range args {
		v := p.eval(a, depth+1)
		if v.Kind != Str {
			return nil
		}
		out = append(out, v.S)
	}
	return out
}

// strStrip is str.strip/lstrip/rstrip with no argument (whitespace) or
// one constant string of characters.
func strStrip(v Value, how string, args []string, n *python.Node) Value {
	if args == nil || len(args) > 1 {
		return Value{Node: n}
	}
	cut := " \t\n\r\x0b\x0c"
	if len(args) == 1 {
		cut = args[0]
	}
	s := v.S
	switch how {
	case "lstrip":
		s = strings.TrimLeft(s, cut)
	case "rstrip":
		s = strings.TrimRight(s, cut)
	default:
		s = strings.Trim(s, cut)
	}
	return Value{Kind: Str, S: s, Node: n}
}

// allKeywords reports whether every argument is name=value.
func allKeywords(args []*python.Node) bool {
	for _, a := range args {
		if a.Kind != "keyword_argument" || a.ChildByField("name") == nil {
			return false
		}
	}
	return true
}

// validators are third-party schema classes whose instances, called with
// data, return that data (validated): one row per class, by qualified
// name.
var validators = map[string]bool{
	"voluptuous.Schema":                true,
	"voluptuous.schema_builder.Schema": true,
}

// validator reports whether the name fn is bound to an instance of one of
// the validators (schema = voluptuous.Schema([...]) then schema(data)).
func (p *Project) validator(fn *python.Node) bool {
	m := p.ModuleOf(fn)
	rhs := p.nameRHS(m, fn, fn.Text(), 0)
	if rhs == nil || rhs.Unparen().Kind != "call" {
		return false
	}
	return validators[p.ModuleOf(rhs).Qualify(rhs.Unparen().ChildByField("function").DottedName())]
}
