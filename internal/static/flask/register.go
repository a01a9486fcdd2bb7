package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// Registrations: register_blueprint (directly, through a partial, over a
// loop or a helper), init_app and add_namespace bind objects together.

func (p *Project) bindCall(n *python.Node) {
	if fn := n.ChildByField("function"); fn != nil && fn.Kind == "attribute" {
		// x.y(...) binds nothing unless y is one of these (partial as
		// functools.partial, however functools is imported: qualifying
		// keeps the last name): most calls of a project end here,
		// before their arguments are gathered.
		switch fn.ChildByField("attribute").Text() {
		case "init_app", "register_blueprint", "add_namespace", "partial", "include_router":
		default:
			return
		}
	}
	if p.isPartial(n) {
		// partial(app.register_blueprint, bp, url_prefix=...) with the
		// blueprint bound is made to be called, however it is called
		// later (a list of registrators run in a loop).
		a := argsOf(n)
		if len(a.pos) < 1 {
			return
		}
		bound := callArgs{pos: a.pos[1:], kw: a.kw}
		if bound.arg("register_blueprint", 0) == nil {
			return
		}
		if f := a.pos[0].Unparen(); f.Kind == "attribute" && f.ChildByField("attribute").Text() == "register_blueprint" {
			if recv := p.ObjectAt(f.ChildByField("object")); recv != nil {
				if !p.registerBlueprint(recv, n, bound) {
					p.lostRegs = append(p.lostRegs, n)
					p.noteDynamic(n, bound.arg("register_blueprint", 0), Binding{Site: n})
				}
			}
		}
		return
	}
	fn, args := p.callee(n)
	if fn == nil || fn.Kind != "attribute" {
		return
	}
	attr := fn.ChildByField("attribute").Text()
	if attr != "init_app" && attr != "register_blueprint" && attr != "add_namespace" && attr != "include_router" {
		return
	}
	recv := p.ObjectAt(fn.ChildByField("object"))
	if attr == "include_router" {
		if recv != nil && recv.Router && !p.includeRouter(recv, n, args) {
			p.lostRegs = append(p.lostRegs, n)
		}
		return
	}
	if recv == nil {
		if attr == "register_blueprint" {
			p.lostRegs = append(p.lostRegs, n)
			p.noteDynamic(n, args.arg(attr, 0), Binding{Site: n})
		}
		return
	}
	switch attr {
	case "init_app":
		if recv.Kind == "api" || recv.Kind == "restx" {
			target := args.arg(attr, 0)
			if bp := jsonAPIBlueprint(recv, n.ChildByField("arguments")); bp != nil {
				target = bp // init_app(app, blueprint): routes go on the blueprint
			}
			recv.Parent = p.ObjectAt(target)
		}
	case "register_blueprint":
		if throwaway(recv) {
			return // an app made only to be looked at serves nothing
		}
		if !p.registerBlueprint(recv, n, args) {
			p.lostRegs = append(p.lostRegs, n)
			p.noteDynamic(n, args.arg(attr, 0), Binding{Site: n})
		}
	case "add_namespace":
		for _, ns := range p.objectsAt(args.arg(attr, 0), Binding{}, 0) {
			if ns.Kind != "namespace" {
				continue
			}
			r := Registration{Parent: recv}
			if kw := args.keyword("path"); kw != nil {
				r.HasPrefix, r.Prefix = true, p.Eval(kw).S
			}
			ns.Regs = append(ns.Regs, r)
		}
	}
}

// registerBlueprint records app.register_blueprint(EXPR): EXPR may name
// several blueprints (a loop over a list, a helper's parameter), each
// with the url_prefix of its own loop element.
func (p *Project) registerBlueprint(recv *Object, call *python.Node, args callArgs) bool {
	registered := false
	// A helper's parameters (mount(app, bp, "/admin")) bind per call site.
	sites := []Binding{{Site: call}}
	bpArg := args.arg("register_blueprint", 0)
	for _, a := range []*python.Node{bpArg, args.keyword("url_prefix"), args.keyword("name")} {
		if fn := ParamOf(a.Unparen()); fn != nil {
			if bs := p.Bindings(fn, 0); len(bs) > 0 {
				sites = bs
			}
			break
		}
	}
	var expanded []Binding
	for _, s := range sites {
		expanded = append(expanded, p.expandLoops(s, call)...)
	}
	for _, b := range expanded {
		for _, bp := range p.objectsAt(bpArg, b, 0) {
			if bp.Kind != "blueprint" {
				continue
			}
			r := Registration{Parent: recv}
			if kw := args.keyword("url_prefix"); kw != nil {
				r.HasPrefix = true
				v := p.EvalIn(kw, b)
				r.Prefix = v.S
				if v.Kind != Str && v.Kind != None {
					r.PrefixUnknown = short(kw.Text())
				}
			}
			if v := p.EvalIn(args.keyword("name"), b); v.Kind == Str {
				r.Name = v.S
			}
			if !hasReg(bp.Regs, r) {
				bp.Regs = append(bp.Regs, r)
			}
			registered = true
		}
	}
	return registered
}

func hasReg(regs []Registration, r Registration) bool {
	for _, x := range regs {
		if x == r {
			return true
		}
	}
	return false
}
