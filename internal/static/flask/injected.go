package flask

import (
	"fmt"
	"path"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Globals a loader injects. A plugin loader may make a blueprint for each
// module it executes and put it into the module's namespace before
// running it:
//
//	page = module_from_spec(spec)
//	page.manager = Blueprint(page_name, module_name)
//	spec.loader.exec_module(page)
//	app.register_blueprint(page.manager, url_prefix=prefix)
//
// The module then uses the name without binding it (@manager.route(...)).
// Such a name, bound nowhere in its module (no assignment, import or
// parameter), is that module's own object of the injected kind; the
// loader's register_blueprint of a value the model cannot name is what
// registers it (an assumption the route coverage states).

// injection is one "X.name = Maker(...)" on a module object.
type injection struct {
	kind   string
	ctor   *python.Node
	target string
}

// injectedObject is the per-module object a loader injects under n's
// name, or nil when the module binds the name itself or nothing injects
// one.
func (p *Project) injectedObject(m *Module, n *python.Node) *Object {
	name := n.Text()
	if len(m.Assigns[name]) > 0 || m.Imports[name].Module != "" || m.Classes[name] != nil || m.Funcs[name] != nil {
		return nil
	}
	for fn := n.Ancestor("function_definition"); fn != nil; fn = fn.Ancestor("function_definition") {
		if isParam(fn, name) || LocalAssign(fn, name, n.Start) != nil {
			return nil
		}
	}
	inj, ok := p.injections()[name]
	if !ok || inj.kind != "blueprint" {
		return nil
	}
	key := objKey{m, nil, "\x00injected." + name}
	if o := p.objects[key]; o != nil {
		return o
	}
	stem := strings.TrimSuffix(path.Base(m.File.Path), ".py")
	o := &Object{Kind: inj.kind, Module: m, Var: name, Name: stem, Node: inj.ctor,
		Injected: fmt.Sprintf("%s is injected into %s by a loader (%s = %s(…) at %s:%d)",
			name, m.File.Path, inj.target, short(inj.ctor.ChildByField("function").Text()), inj.ctor.File.Path, inj.ctor.Line)}
	p.objects[key] = o
	return o
}

// injections indexes "X.name = Maker(...)" assignments whose value is an
// app or blueprint, by attribute name (the first one of each name).
func (p *Project) injections() map[string]injection {
	if p.injectedObjs != nil {
		return p.injectedObjs
	}
	p.injectedObjs = map[string]injection{}
	for _, m := range p.Modules {
		for _, a := range m.File.OfKind("assignment") {
			left, right := a.ChildByField("left"), a.ChildByField("right").Unparen()
			if left == nil || left.Kind != "attribute" || right == nil || right.Kind != "call" {
				continue
			}
			if obj := left.ChildByField("object"); obj == nil || obj.Kind != "identifier" || obj.Text() == "self" || obj.Text() == "cls" {
				continue
			}
			if k, ctor, _ := p.made(right, 0); k != "" {
				attr := left.ChildByField("attribute").Text()
				if _, seen := p.injectedObjs[attr]; !seen {
					p.injectedObjs[attr] = injection{kind: k, ctor: ctor, target: left.Text()}
				}
			}
		}
	}
	return p.injectedObjs
}

// loaderPrefix is the url_prefix of the loader call that registers o by
// assumption, when the call gives a constant one (or none: o's own);
// false when it is computed at run time.
func (p *Project) loaderPrefix(o *Object) (string, bool) {
	var call *python.Node
	if o.Injected != "" {
		for _, n := range p.dynRegs {
			a := argsOf(n)
			if len(a.pos) > 0 && a.pos[0].Unparen().Kind == "attribute" && a.pos[0].Unparen().ChildByField("attribute").Text() == o.Var {
				call = n
				break
			}
		}
	} else {
		call = p.dynamicReg(o)
	}
	if call == nil {
		return o.Prefix, true
	}
	kw := argsOf(call).kw["url_prefix"]
	if kw == nil {
		return o.Prefix, true
	}
	if v := p.Eval(kw); v.Kind == Str {
		return v.S, true
	}
	return "", false
}
