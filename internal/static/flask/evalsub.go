package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

func (p *Project) evalSubscript(n *python.Node, depth int) Value {
	val, sub := n.ChildByField("value"), n.ChildByField("subscript")
	key, ok := sub.StringValue()
	if !ok && sub.Kind == "identifier" {
		// d[k] with k a name of the run or loop: its constant value.
		if kv := p.eval(sub, depth+1); kv.Kind == Str {
			if v := p.eval(val, depth+1); v.Kind == Dict {
				if item, found := v.Get(kv.S); found {
					return item
				}
			}
			return Value{Node: n}
		}
	}
	if !ok {
		// pair[0], row[-1]: an element of a constant list or tuple.
		if i, isInt := sub.IntValue(); isInt {
			if v := p.eval(val, depth+1); v.Kind == List {
				if i < 0 {
					i += int64(len(v.Items))
				}
				if i >= 0 && i < int64(len(v.Items)) {
					return v.Items[i]
				}
			}
		}
		return Value{Node: n}
	}
	switch d := val.DottedName(); {
	case d == "os.environ" || d == "environ":
		return Value{Kind: Env, EnvName: key, Node: n}
	case isConfigExpr(val):
		return p.configValueAt(n, key, depth)
	}
	if v := p.eval(val, depth+1); v.Kind == Dict {
		if item, ok := v.Get(key); ok {
			return item
		}
	}
	return Value{Node: n}
}

func (p *Project) configValue(key string, depth int) Value {
	if es := p.Config[key]; len(es) > 0 {
		return p.eval(es[len(es)-1].Value, depth+1)
	}
	return Value{}
}

// configValueAt is configValue read from node n: entries set in n's own
// tree (same import root) win over other apps' in the same folder.
func (p *Project) configValueAt(n *python.Node, key string, depth int) Value {
	es := p.Config[key]
	if root := p.rootOf(p.ModuleOf(n)); root != "" {
		for i := len(es) - 1; i >= 0; i-- {
			if r := p.rootOf(es[i].Module); r == root || strings.HasPrefix(r, root+".") {
				return p.eval(es[i].Value, depth+1)
			}
		}
	}
	return p.configValue(key, depth)
}

func (p *Project) evalAttribute(n *python.Node, depth int) Value {
	obj, attr := n.ChildByField("object"), n.ChildByField("attribute").Text()
	m := p.ModuleOf(n)
	if m == nil || obj == nil {
		return Value{Node: n}
	}
	if b := p.bound; b != nil && obj.Kind == "identifier" && b.Scope != nil && b.Scope.Contains(n) {
		if v, ok := b.Vals[obj.Text()+"."+attr]; ok {
			return v // self.dirpath assigned earlier in the run
		}
	}
	if v, ok := p.instanceAttr(obj, attr); ok {
		return v
	}
	// self.base in a method run for one call (reg.add(View, "/x")): the
	// attribute of the instance the call's receiver names.
	if b := p.bound; b != nil && obj.Kind == "identifier" && b.Fn != nil && b.Fn.Contains(n) && b.Site != nil {
		if ps := Params(b.Fn); len(ps) > 0 && ps[0] == obj.Text() && obj.Text() == "self" && b.Fn.Ancestor("class_definition") != nil {
			if f := b.Site.ChildByField("function"); f != nil && f.Kind == "attribute" {
				if v, ok := p.instanceAttr(f.ChildByField("object"), attr); ok {
					return v
				}
			}
		}
	}
	// cls.operations with cls bound to a class (a classmethod run for a
	// call that names its class): the class attribute. view.__name__
	// with view bound to a project function or class: its name.
	if b := p.bound; b != nil && obj.Kind == "identifier" && b.Fn != nil && b.Fn.Contains(n) {
		if v, ok := b.Names[obj.Text()]; ok && v != nil && v != obj && attr == "__name__" {
			if _, d := p.ResolveFunc(p.ModuleOf(v), v.DottedName()); d != nil && d.Kind == "function_definition" {
				return Value{Kind: Str, S: d.ChildByField("name").Text(), Node: n}
			}
			if _, cls := p.ResolveClass(p.ModuleOf(v), v.DottedName()); cls != nil {
				return Value{Kind: Str, S: cls.ChildByField("name").Text(), Node: n}
			}
		}
		if v, ok := b.Names[obj.Text()]; ok && v != nil && v != obj {
			if cm, cls := p.ResolveClass(p.ModuleOf(v), v.DottedName()); cls != nil {
				if _, d := classMember(p.classChain(cm, cls), attr); d != nil && d.Kind != "function_definition" {
					return p.eval(d, depth+1)
				}
			}
		}
	}
	// view.url_rule with view bound to a project function (a loop over a
	// registry): what its endpoint decorator stored (registry.go).
	if b := p.bound; b != nil && obj.Kind == "identifier" {
		if v := b.bound(obj).Unparen(); v != nil && v != obj && v.Kind == "identifier" {
			if _, g := p.ResolveFunc(p.ModuleOf(v), v.Text()); g != nil && g.Kind == "function_definition" {
				if sv, ok := p.storedAttr(g, attr, depth); ok {
					return sv
				}
			}
		}
	}
	if attr == "__file__" && obj.DottedName() != "" {
		if mm := p.moduleFor(m, obj.DottedName()); mm != nil { // pkg.web.__file__
			return Value{Kind: Str, S: mm.File.Path, Path: true, Node: n}
		}
	}
	if attr == "parent" {
		if v, ok := pathAttr(p.eval(obj, depth+1), attr, n); ok {
			return v
		}
	}
	if obj.Kind == "identifier" {
		if imp, ok := m.Imports[obj.Text()]; ok {
			target := imp.Module
			if imp.Name != "" {
				target += "." + imp.Name
			}
			if mm := p.Module(target); mm != nil {
				return p.evalGlobal(mm, attr, depth+1)
			}
		}
		if _, cls := p.ResolveClass(m, obj.Text()); cls != nil {
			if rhs := classAttr(cls, attr); rhs != nil {
				return p.eval(rhs, depth+1)
			}
		}
	}
	return Value{Node: n}
}
