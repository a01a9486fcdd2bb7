package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Objects a helper makes and registers once per call:
//
//	def mount(app, name, table):
//	    bp, api = make_pair(name)           # a blueprint and its Api
//	    for row in table:
//	        api.add_resource(load(row["module"], row["cls"]), row["url"])
//	    app.register_blueprint(bp, url_prefix="/" + name)
//
//	mount(app, "users", [...]); mount(app, "items", [...])
//
// Each call makes its own blueprint, under its own prefix, serving the
// rows of its own table: one instance of the objects per call site of
// the helper, whose registrations are the helper's register_blueprint
// calls run with that call's arguments (the body run up to the call, so
// that name = "/" + name before it counts).

type perCallKey struct {
	o    *Object
	site *python.Node
}

// perCallObject is o's instance for the call cs of fn, or o itself when
// o is not made per call of fn (a module-level object, or one fn does
// not register itself).
func (p *Project) perCallObject(o *Object, fn *python.Node, cs Binding, depth int) *Object {
	if o == nil || cs.Site == nil || depth > 3 || o.Node == nil || o.Node.Ancestor("function_definition") == nil {
		return o
	}
	key := perCallKey{o, cs.Site}
	if io, ok := p.perCall[key]; ok {
		return io
	}
	if p.perCall == nil {
		p.perCall = map[perCallKey]*Object{}
	}
	p.perCall[key] = o // while it is being made
	var io *Object
	switch o.Kind {
	case "api", "restx":
		if parent := p.perCallObject(o.Parent, fn, cs, depth+1); parent != o.Parent {
			c := *o
			c.Parent = parent
			io = &c
		}
	case "blueprint":
		regs := p.regsInCall(o, fn, cs)
		if len(regs) == 0 {
			regs = p.regsOfReturned(o, fn, cs)
		}
		if len(regs) > 0 {
			c := *o
			c.Regs = regs
			io = &c
		}
	}
	if io == nil {
		io = o
	}
	p.perCall[key] = io
	return io
}

// regsInCall are the registrations of o that fn's own register_blueprint
// calls make when fn runs for the call cs.
func (p *Project) regsInCall(o *Object, fn *python.Node, cs Binding) []Registration {
	var regs []Registration
	fn.ChildByField("body").Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "call":
		default:
			return true
		}
		f := c.ChildByField("function")
		if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "register_blueprint" {
			return true
		}
		args := argsOf(c)
		hits, _ := p.runTo(fn, c, cs)
		if len(hits) == 0 {
			hits = []Binding{cs}
		}
		for _, h := range hits {
			mine := false
			for _, bo := range p.objectsAt(args.arg("register_blueprint", 0), h, 0) {
				mine = mine || bo == o
			}
			if !mine {
				continue
			}
			for _, parent := range p.objectsAt(f.ChildByField("object"), h, 0) {
				r := Registration{Parent: parent}
				if kw := args.keyword("url_prefix"); kw != nil {
					r.HasPrefix = true
					r.Prefix = p.EvalIn(kw, h).S
				}
				if v := p.EvalIn(args.keyword("name"), h); v.Kind == Str {
					r.Name = v.S
				}
				if !hasReg(regs, r) {
					regs = append(regs, r)
				}
			}
		}
		return true
	})
	return regs
}

// perCallSites are the calls of the helper around call when the object
// it registers on is made per call of it and the calls differ (nil
// otherwise): each is expanded on its own instance. Calls differ when
// they register the object differently (prefix, name, app) or pass the
// table the registration loops over; a factory called from two places
// with the same result stays one object.
func (p *Project) perCallSites(o *Object, call *python.Node) (*python.Node, []Binding) {
	fn := call.Ancestor("function_definition")
	if fn == nil || len(Params(fn)) == 0 {
		return nil, nil
	}
	sites := distinctSites(fn, p.Bindings(fn, 0))
	if len(sites) < 2 {
		return nil, nil
	}
	var first []Registration
	differ, instanced := loopOverParam(fn, call), false
	for i, cs := range sites {
		io := p.perCallObject(o, fn, cs, 0)
		if io == o {
			return nil, nil
		}
		instanced = true
		regs := regsOf(io)
		if i == 0 {
			first = regs
		} else if !sameRegs(first, regs) {
			differ = true
		}
	}
	if !instanced || !differ {
		return nil, nil
	}
	return fn, sites
}

// regsOf are the registrations of o or, for an Api, of its blueprint.
func regsOf(o *Object) []Registration {
	for o != nil && (o.Kind == "api" || o.Kind == "restx") {
		o = o.Parent
	}
	if o == nil {
		return nil
	}
	return o.Regs
}

func sameRegs(a, b []Registration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// loopOverParam reports whether a loop (or comprehension) around call in
// fn iterates over something built from one of fn's parameters.
func loopOverParam(fn, call *python.Node) bool {
	params := map[string]bool{}
	for _, name := range Params(fn) {
		params[name] = true
	}
	for a := call.Parent; a != nil && a != fn; a = a.Parent {
		var right *python.Node
		switch {
		case a.Kind == "for_statement" && a.ChildByField("body").Contains(call):
			right = a.ChildByField("right")
		case isComprehension(a.Kind):
			for _, c := range a.NamedChildren() {
				if c.Kind == "for_in_clause" && mentions(c.ChildByField("right"), params) {
					return true
				}
			}
		}
		if right != nil && mentions(right, params) {
			return true
		}
	}
	return false
}

// distinctSites drops the expansions of one call site that bind fn's
// parameters to the same arguments (a loop around the call over modules
// of which only one defines fn).
func distinctSites(fn *python.Node, bs []Binding) []Binding {
	var out []Binding
	for _, b := range bs {
		dup := false
		for _, o := range out {
			if o.Site != b.Site {
				continue
			}
			same := true
			for _, name := range Params(fn) {
				if o.Names[name] != b.Names[name] {
					same = false
				}
			}
			dup = dup || same
		}
		if !dup {
			out = append(out, b)
		}
	}
	return out
}

// regsOfReturned are the registrations of the object fn returns, made by
// the caller of the call cs: app.register_blueprint(make_bp("one", rows),
// url_prefix="/one"), or bp = make_bp(...) then app.register_blueprint(bp,
// ...) in the caller's scope.
func (p *Project) regsOfReturned(o *Object, fn *python.Node, cs Binding) []Registration {
	mine := false
	for _, r := range returns(fn) {
		for _, ro := range p.objectsAt(r, Binding{}, 0) {
			mine = mine || ro == o
		}
	}
	if !mine {
		return nil
	}
	site := cs.Site
	var regCalls []*python.Node
	if a := site.Parent; a != nil && a.Kind == "argument_list" && positional(a, 0) == site {
		regCalls = append(regCalls, a.Parent)
	} else if asg := site.Parent; asg != nil && asg.Kind == "assignment" && asg.ChildByField("left").Kind == "identifier" {
		name := asg.ChildByField("left").Text()
		scope := asg.Ancestor("function_definition")
		if scope == nil {
			scope = asg.Ancestor("module")
		}
		scope.Walk(func(c *python.Node) bool {
			if c.Kind == "call" && c.Start > asg.End {
				if a0 := positional(c.ChildByField("arguments"), 0); a0 != nil && a0.Unparen().Kind == "identifier" && a0.Unparen().Text() == name {
					regCalls = append(regCalls, c)
				}
			}
			return true
		})
	}
	var regs []Registration
	for _, c := range regCalls {
		f := c.ChildByField("function")
		if f == nil || f.Kind != "attribute" || f.ChildByField("attribute").Text() != "register_blueprint" {
			continue
		}
		args := argsOf(c)
		for _, parent := range p.objectsAt(f.ChildByField("object"), Binding{}, 0) {
			r := Registration{Parent: parent}
			if kw := args.keyword("url_prefix"); kw != nil {
				r.HasPrefix = true
				v := p.Eval(kw)
				r.Prefix = v.S
				if v.Kind != Str && v.Kind != None {
					r.PrefixUnknown = short(kw.Text())
				}
			}
			if v := p.Eval(args.keyword("name")); v.Kind == Str {
				r.Name = v.S
			}
			if !hasReg(regs, r) {
				regs = append(regs, r)
			}
		}
	}
	return regs
}
