package flask

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Values an instance's constructor computes, for route rules only:
//
//	mhelp = ModuleHelp(__file__, __name__)      # __init__ reads info.json
//	@bp.route(mhelp.info["dashboard"] + "/all")  # beside the module
//
// While a rule is evaluated, an attribute of a name bound to a project
// class's instance is what its __init__ assigns to self, the body run by
// the interpreter with the call's arguments; a JSON file the constructor
// opens by a path from its module's location (with open(p) as f:
// json.load(f)) is read from the project. Rules only: the findings never
// see these values.

// instanceAttr is the value the constructor of the instance obj names
// gives self.attr; ok is false when it gives none the run computes.
func (p *Project) instanceAttr(obj *python.Node, attr string) (Value, bool) {
	if p.rulePrefix == nil || obj.Kind != "identifier" {
		return Value{}, false
	}
	m := p.ModuleOf(obj)
	rhs := p.nameRHS(m, obj, obj.Text(), 0)
	if rhs == nil || rhs.Unparen().Kind != "call" {
		return Value{}, false
	}
	call := rhs.Unparen()
	if p.instMemo == nil {
		p.instMemo = map[*python.Node]map[string]Value{}
	}
	env, seen := p.instMemo[call]
	if !seen {
		p.instMemo[call] = nil // a constructor that reads its own instance
		env = p.construct(call)
		p.instMemo[call] = env
	}
	v, ok := env["self."+attr]
	if !ok || !v.Known() {
		return p.classDefault(call, attr)
	}
	return v, true
}

// classDefault is the value a class body gives attr when its constructor
// sets none (a pydantic BaseSettings field, API_V1_STR: str = "/api/v1";
// a plain config class): a default the environment may override, stated
// as an assumption.
func (p *Project) classDefault(call *python.Node, attr string) (Value, bool) {
	cm, cls := p.ResolveClass(p.ModuleOf(call), call.ChildByField("function").DottedName())
	if cls == nil {
		return Value{}, false
	}
	_, d := classMember(p.classChain(cm, cls), attr)
	if d == nil || d.Kind == "function_definition" {
		return Value{}, false
	}
	v := p.Eval(d)
	if !v.Known() {
		return Value{}, false
	}
	if v.Kind == Str {
		p.rulePrefix.notes = append(p.rulePrefix.notes, cls.ChildByField("name").Text()+"."+attr+" is taken as its class default "+strconv.Quote(v.S)+" (a settings object may read another from the environment)")
	}
	return v, true
}

// construct runs the __init__ of the project class call names, with the
// call's arguments bound; nil when it is not one.
func (p *Project) construct(call *python.Node) map[string]Value {
	cm, cls := p.ResolveClass(p.ModuleOf(call), call.ChildByField("function").DottedName())
	if cls == nil {
		return nil
	}
	_, init := classMember(p.classChain(cm, cls), "__init__")
	if init == nil || init.Kind != "function_definition" {
		return nil
	}
	// Cls(a, b) binds a to __init__'s second parameter (self is implicit).
	b := Binding{Names: map[string]*python.Node{}, Fn: init, Site: call}
	args := call.ChildByField("arguments")
	for i, name := range Params(init) {
		if i == 0 {
			continue
		}
		if a := keyword(args, name); a != nil {
			b.Names[name] = a
		} else if a := positional(args, i-1); a != nil {
			b.Names[name] = a
		} else if d := ParamDefault(init, name); d != nil {
			b.Names[name] = d // Registry(bp) with def __init__(self, bp, base="/v1")
		}
	}
	in := &interp{p: p}
	env := map[string]Value{}
	in.block(init.ChildByField("body"), init, b, env, 1)
	return env
}

// jsonFile is the content of a project JSON file at a root-relative path.
func (p *Project) jsonFile(v Value, n *python.Node) Value {
	if v.Kind != Str || !v.Path || p.readFile == nil || !strings.HasSuffix(v.S, ".json") {
		return Value{Node: n}
	}
	src, err := p.readFile(strings.TrimPrefix(v.S, "./"))
	if err != nil {
		return Value{Node: n}
	}
	var x any
	if json.Unmarshal(src, &x) != nil {
		return Value{Node: n}
	}
	return jsonValue(x, n)
}

func jsonValue(x any, n *python.Node) Value {
	switch t := x.(type) {
	case string:
		return Value{Kind: Str, S: t, Node: n}
	case bool:
		return Value{Kind: Bool, B: t, Node: n}
	case nil:
		return Value{Kind: None, Node: n}
	case float64:
		if t == float64(int64(t)) {
			return Value{Kind: Int, I: int64(t), Node: n}
		}
	case []any:
		v := Value{Kind: List, Node: n}
		for _, e := range t {
			v.Items = append(v.Items, jsonValue(e, n))
		}
		return v
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		v := Value{Kind: Dict, Node: n}
		for _, k := range keys {
			v.Keys = append(v.Keys, Value{Kind: Str, S: k, Node: n})
			v.Items = append(v.Items, jsonValue(t[k], n))
		}
		return v
	}
	return Value{Node: n}
}
