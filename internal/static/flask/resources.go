package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Flask-RESTful / flask-restx resources registered with add_resource,
// one call or a table of them in a loop.

func (p *Project) resource(m *Module, call *python.Node) {
	fn := call.ChildByField("function")
	o := p.ObjectAt(fn.ChildByField("object"))
	if o == nil {
		p.unresolved(p.receiverReason(fn.ChildByField("object")))
		return
	}
	if o.Kind != "api" && o.Kind != "restx" && o.Kind != "namespace" {
		p.unresolved("add_resource on a " + o.Kind + ", not on an Api")
		return
	}
	outer := p.curDecl
	if fn, sites := p.perCallSites(o, call); fn != nil {
		p.resourcePerCall(m, call, o, fn, sites)
		p.curDecl = outer
		return
	}
	// A table of routes registered in a loop (for path, res in ROUTES:
	// api.add_resource(res, path); for r in ROUTES: api.add_resource(*r)):
	// one expansion per element.
	rows := false
	bs, _ := p.loopExpansionsIn(call, Binding{})
	if bs == nil {
		bs = p.expandLoops(Binding{Site: call}, call)
	}
	for _, b := range bs {
		if b.Item != nil && b.Item.File != nil {
			p.declare(b.Item) // each row of a route table is a registration
			rows = true
		}
		p.resourceIn(m, call, o, b)
	}
	if rows && outer != nil {
		delete(p.declOf, call) // counted by its rows
	}
	p.curDecl = outer
}

// resourcePerCall expands an add_resource of a helper that makes and
// registers its own Api per call: each call site on its own instance,
// over the rows of the table that call passes (its body run up to the
// registration for each row); each call, or each row of its table, is a
// registration.
func (p *Project) resourcePerCall(m *Module, call *python.Node, o *Object, fn *python.Node, sites []Binding) {
	rows := false
	for _, cs := range sites {
		io := p.perCallObject(o, fn, cs, 0)
		p.declare(cs.Site)
		bs, why := p.loopExpansionsIn(call, cs)
		if why != "" {
			p.unresolved("this call of " + fn.ChildByField("name").Text() + "() registers resources the analysis cannot list: " + why)
			continue
		}
		if bs == nil {
			bs = []Binding{cs}
		}
		siteRows := false
		for _, b := range bs {
			if b.Item != nil && b.Item.File != nil && b.Item != cs.Item {
				p.declare(b.Item)
				siteRows = true
			}
			p.resourceIn(m, call, io, b)
		}
		if siteRows {
			delete(p.declOf, cs.Site) // counted by its rows
			rows = true
		}
	}
	_ = rows
	delete(p.declOf, call) // counted by its call sites (or their rows)
}

// resourceIn adds the routes of one add_resource call under a loop
// binding; *args spread a bound tuple.
func (p *Project) resourceIn(m *Module, call *python.Node, o *Object, b Binding) {
	argsNode := call.ChildByField("arguments")
	var pos []*python.Node
	for _, a := range argsNode.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat":
		case "list_splat":
			if b.Star != "" && a.NamedChildren()[0].Text() == b.Star {
				pos = append(pos, b.Extra...) // *urls of a registering decorator
				continue
			}
			inner := b.bound(a.NamedChildren()[0])
			if v := p.classAttrIn(inner, b); v != nil {
				inner = v // *resource_cls.endpoints: the class's own list
			}
			if u := inner.Unparen(); u.Kind == "tuple" || u.Kind == "list" {
				pos = append(pos, u.NamedChildren()...)
			} else {
				p.unresolved("the arguments `*" + short(a.NamedChildren()[0].Text()) + "` are not a literal tuple")
				return
			}
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 {
		return
	}
	ep := ""
	if o.JSONAPI {
		// api.route(Resource, "view", *urls, blueprint=bp): the view name
		// is the endpoint; blueprint= overrides the Api's own target.
		if len(pos) < 2 {
			return
		}
		ep = p.EvalIn(pos[1], b).S
		pos = append([]*python.Node{pos[0]}, pos[2:]...)
		if bp := p.ObjectAt(keywordIn(argsNode, "blueprint", b)); bp != nil {
			o = &Object{Kind: "api", Module: o.Module, Var: o.Var, Node: o.Node, Parent: bp, JSONAPI: true}
		}
	}
	clsNode := b.bound(pos[0])
	cm, cls := p.ResolveClass(p.ModuleOf(clsNode), clsNode.DottedName())
	if cls == nil {
		// A class computed from the row: _load(row["module"], row["class"]).
		if cs := p.classesAt(pos[0], b, 0); len(cs) == 1 {
			cm, cls = cs[0].mod, cs[0].cls
		}
	}
	if cls == nil {
		p.unresolved("resource class `" + short(pos[0].Text()) + "` not found")
		return
	}
	if ep == "" {
		ep = strings.ToLower(cls.ChildByField("name").Text())
	}
	if v := p.EvalIn(keywordIn(argsNode, "endpoint", b), b); v.Kind == Str {
		ep = v.S
	}
	for _, u := range pos[1:] {
		v := p.evalRuleAssuming(func() Value { // a run-time setting in the rule at its default
			v := p.EvalIn(u, b)
			if v.Kind != Str && len(b.Loop) == 0 {
				v = p.evalRule(u)
			}
			return v
		})
		if v.Kind == Str {
			p.classRoutes(cm, cls, o, v.S, ep, nil, call, nil)
		} else {
			p.unresolved("the rule `" + short(u.Text()) + "` is not a constant")
		}
	}
}

// bound is the expression a loop variable of b stands for at n, or n.
func (b Binding) bound(n *python.Node) *python.Node {
	if u := n.Unparen(); u != nil && u.Kind == "identifier" && b.Scope != nil && b.Scope.Contains(u) {
		if v, ok := b.Loop[u.Text()]; ok && v != nil {
			return v
		}
	}
	return b.Resolve(n)
}

// hasURLArg reports whether an add_resource call passes URLs (a second
// positional argument, *urls or urls=): Flask-RESTful's always does.
func hasURLArg(call *python.Node) bool {
	args := call.ChildByField("arguments")
	if keyword(args, "urls") != nil {
		return true
	}
	n := 0
	for _, a := range args.NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat":
		case "list_splat":
			return true
		default:
			n++
		}
	}
	return n >= 2
}

// classAttrIn is the value a class attribute holds when n is CLS.attr
// and CLS names a project class, directly or bound under b (the class a
// registering decorator receives: api.add_resource(cls, *cls.endpoints)),
// looked up through its bases; nil otherwise.
func (p *Project) classAttrIn(n *python.Node, b Binding) *python.Node {
	u := n.Unparen()
	if u == nil || u.Kind != "attribute" {
		return nil
	}
	obj := b.bound(u.ChildByField("object"))
	if obj == nil {
		return nil
	}
	m, cls := p.ResolveClass(p.ModuleOf(obj), obj.Unparen().DottedName())
	if cls == nil {
		return nil
	}
	_, v := classMember(p.classChain(m, cls), u.ChildByField("attribute").Text())
	if v == nil || v.Kind == "function_definition" {
		return nil
	}
	return v
}
