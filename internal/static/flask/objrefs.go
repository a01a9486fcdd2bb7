package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Names that reach objects indirectly: classes declared in functions, the
// tree's app behind flask.current_app, values written to globals().

// localClass finds a class defined by name in a function enclosing n (a
// Flask subclass declared inside create_app).
func localClass(n *python.Node) *python.Node {
	return localDef(n, "class_definition")
}

// localDef finds the last definition of kind (function_definition,
// class_definition) named like identifier n in the innermost function
// enclosing n that defines one.
func localDef(n *python.Node, kind string) *python.Node {
	if n == nil || n.Kind != "identifier" {
		return nil
	}
	for fn := n.Ancestor("function_definition"); fn != nil; fn = fn.Ancestor("function_definition") {
		var found *python.Node
		for _, st := range fn.ChildByField("body").NamedChildren() {
			d := st
			if st.Kind == "decorated_definition" {
				d = st.ChildByField("definition")
			}
			if d.Kind == kind && d.ChildByField("name").Text() == n.Text() {
				found = d
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}

// treeApp is the one app object of m's tree (its root package), or nil
// when the tree has none or several.
func (p *Project) treeApp(m *Module) *Object {
	root := p.rootOf(m)
	var found *Object
	for _, o := range p.objects {
		if o.Kind != "app" || o.Module == nil || p.rootOf(o.Module) != root {
			continue
		}
		if found != nil && found != o {
			return nil
		}
		found = o
	}
	return found
}

// globalsWrite is the value a module writes under globals()[key] when n
// reads globals()[key] with the same key expression; nil otherwise.
func globalsWrite(m *Module, n *python.Node) *python.Node {
	if n == nil || n.Kind != "subscript" {
		return nil
	}
	v := n.ChildByField("value").Unparen()
	if v == nil || v.Kind != "call" || v.ChildByField("function").Text() != "globals" {
		return nil
	}
	key := n.ChildByField("subscript").Text()
	for _, a := range m.File.OfKind("assignment") {
		l := a.ChildByField("left")
		if l == nil || l.Kind != "subscript" || l == n || a.Start > n.Start {
			continue
		}
		lv := l.ChildByField("value").Unparen()
		if lv != nil && lv.Kind == "call" && lv.ChildByField("function").Text() == "globals" && l.ChildByField("subscript").Text() == key {
			return a.ChildByField("right")
		}
	}
	return nil
}

// objectKind is the kind of object a constructor call makes: Flask,
// Blueprint, Api or Namespace, or a project class deriving from one
// (class MyFlask(Flask)).
func (p *Project) objectKind(m *Module, callee string) string {
	if k := constructorKind(m.Qualify(callee)); k != "" {
		return k
	}
	// A class alias chosen at import (app_class = Flask in one branch, a
	// class named by configuration in another): a framework class in any
	// of its assignments.
	if !strings.Contains(callee, ".") {
		for _, rhs := range m.Assigns[callee] {
			if d := rhs.Unparen().DottedName(); d != "" && d != callee {
				if k := constructorKind(m.Qualify(d)); k != "" {
					return k
				}
			}
		}
	}
	cm, cls := p.ResolveClass(m, callee)
	if cls == nil {
		return ""
	}
	return p.classKind(cm, cls)
}

// classKind is the kind of object a project class makes: that of the
// first framework class (Flask, Blueprint, an Api) in its chain.
func (p *Project) classKind(cm *Module, cls *python.Node) string {
	for _, c := range p.classChain(cm, cls) {
		for _, b := range c.cls.ChildByField("superclasses").NamedChildren() {
			if d := b.DottedName(); d != "" {
				if k := constructorKind(c.mod.Qualify(d)); k != "" {
					return k
				}
			}
		}
	}
	return ""
}
