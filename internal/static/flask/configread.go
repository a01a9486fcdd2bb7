package flask

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Flask config as the source sets it: app.config[...] = ..., update /
// from_mapping / setdefault, from_object / from_pyfile of a settings
// module or class, config classes, and from_file / from_json of a JSON or
// TOML file (configfile.go).

func (p *Project) collectConfig(m *Module) {
	m.File.Visit(func(n *python.Node) {
		switch n.Kind {
		case "assignment":
			left := n.ChildByField("left")
			if left != nil && left.Kind == "subscript" && isConfigExpr(left.ChildByField("value")) {
				if key, ok := left.ChildByField("subscript").StringValue(); ok {
					p.addConfig(key, ConfigEntry{Module: m, Value: n.ChildByField("right"), Stmt: n})
				}
			}
		case "call":
			fn := n.ChildByField("function")
			if fn == nil || fn.Kind != "attribute" || !isConfigExpr(fn.ChildByField("object")) {
				return
			}
			switch fn.ChildByField("attribute").Text() {
			case "update", "from_mapping", "setdefault":
				p.configCall(m, n)
			case "from_object", "from_pyfile":
				p.configObject(m, n)
			case "from_file", "from_json":
				p.configFile(m, n)
			}
		case "class_definition":
			if name := n.ChildByField("name").Text(); strings.Contains(name, "Config") || strings.Contains(name, "Settings") {
				p.configClass(m, n)
			}
		}
	}, "assignment", "call", "class_definition")
}

func isConfigExpr(n *python.Node) bool {
	d := n.DottedName()
	return d == "config" || strings.HasSuffix(d, ".config")
}

func (p *Project) addConfig(key string, e ConfigEntry) {
	p.Config[key] = append(p.Config[key], e)
}

func (p *Project) configCall(m *Module, call *python.Node) {
	args := call.ChildByField("arguments").NamedChildren()
	if strings.HasSuffix(call.ChildByField("function").Text(), "setdefault") {
		if len(args) == 2 {
			if key, ok := args[0].StringValue(); ok {
				p.addConfig(key, ConfigEntry{Module: m, Value: args[1], Stmt: call})
			}
		}
		return
	}
	for _, a := range args {
		switch a.Kind {
		case "keyword_argument":
			p.addConfig(a.ChildByField("name").Text(), ConfigEntry{Module: m, Value: a.ChildByField("value"), Stmt: a})
		case "dictionary":
			for _, pair := range a.NamedChildren() {
				if pair.Kind != "pair" {
					continue
				}
				if key, ok := pair.ChildByField("key").StringValue(); ok {
					p.addConfig(key, ConfigEntry{Module: m, Value: pair.ChildByField("value"), Stmt: pair})
				}
			}
		}
	}
}

func (p *Project) configClass(m *Module, cls *python.Node) {
	body := cls.ChildByField("body")
	for _, st := range body.NamedChildren() {
		if st.Kind != "expression_statement" {
			continue
		}
		for _, a := range st.NamedChildren() {
			if a.Kind != "assignment" {
				continue
			}
			left := a.ChildByField("left")
			if left != nil && left.Kind == "identifier" && left.Text() == strings.ToUpper(left.Text()) {
				p.addConfig(left.Text(), ConfigEntry{Module: m, Value: a.ChildByField("right"), Stmt: a})
			}
		}
	}
}

// configObject reads app.config.from_object(X) / from_pyfile(X): the
// upper-case module-level names of a module, or the attributes of a class
// (a config class whose name says Config is read anyway). X may be a
// dotted string, an imported module or class, or a parameter with a
// default ("conduit.settings").
func (p *Project) configObject(m *Module, call *python.Node) {
	arg := positional(call.ChildByField("arguments"), 0).Unparen()
	if arg == nil {
		return
	}
	var cands []*python.Node
	cands = append(cands, arg)
	if fn := ParamOf(arg); fn != nil {
		if d := ParamDefault(fn, arg.Text()); d != nil {
			cands = append(cands, d)
		}
		for _, cs := range p.CallSites(fn) {
			if a := cs.Arg(fn, arg.Text()); a != nil {
				cands = append(cands, a)
			}
		}
	}
	for _, c := range cands {
		if v := p.Eval(c); v.Kind == Str {
			name := strings.TrimSuffix(strings.TrimPrefix(v.S, "./"), ".py")
			name = strings.ReplaceAll(name, "/", ".")
			if mm := p.Module(name); mm != nil {
				p.configModule(mm)
			} else if mod, cls, ok := cutLast(name); ok {
				if mm := p.Module(mod); mm != nil && mm.Classes[cls] != nil {
					p.configClassOnce(mm, mm.Classes[cls])
				}
			}
			continue
		}
		d := c.DottedName()
		if mm := p.moduleFor(p.ModuleOf(c), d); mm != nil && d != "" {
			p.configModule(mm)
		} else if cm, cls := p.ResolveClass(p.ModuleOf(c), d); cls != nil {
			p.configClassOnce(cm, cls)
		}
	}
}

// configModule adds a settings module's upper-case names once.
func (p *Project) configModule(mm *Module) {
	if p.configRead[mm.File.Root] {
		return
	}
	p.configRead[mm.File.Root] = true
	names := make([]string, 0, len(mm.Assigns))
	for name := range mm.Assigns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name != strings.ToUpper(name) || !strings.ContainsAny(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			continue
		}
		rhs := mm.Assigns[name]
		v := rhs[len(rhs)-1]
		stmt := v.Parent
		for stmt != nil && stmt.Kind != "assignment" {
			stmt = stmt.Parent
		}
		if stmt == nil {
			stmt = v
		}
		p.addConfig(name, ConfigEntry{Module: mm, Value: v, Stmt: stmt})
	}
}

func (p *Project) configClassOnce(m *Module, cls *python.Node) {
	if p.configRead[cls] {
		return
	}
	p.configRead[cls] = true
	name := cls.ChildByField("name").Text()
	if strings.Contains(name, "Config") || strings.Contains(name, "Settings") {
		return // read with every config class
	}
	p.configClass(m, cls)
}
