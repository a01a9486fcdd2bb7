package flask

import (
	"github.com/authprobe/authprobe/internal/static/python"
)

// expandCaller registers call once per call site of the function fn
// around it (and per element of the loops around the call, run with that
// site's arguments); each call site is its own declaration. It reports
// whether fn has a call site.
func (p *Project) expandCaller(m *Module, call, name, fn, ruleN *python.Node) bool {
	bindings := p.Bindings(fn, 0)
	if len(bindings) == 0 {
		return false
	}
	tmpl := p.curDecl
	recv := call.ChildByField("function").ChildByField("object")
	for _, b := range bindings {
		bs := []Binding{b}
		lb, loopWhy := p.loopExpansionsIn(call, b)
		if lb != nil {
			bs = lb
		}
		why := ""
		if loopWhy != "" {
			why = ": " + loopWhy
		}
		if !p.anyRule(ruleN, bs) {
			// The rule is computed by code before the call (a list built
			// by a classmethod, names unpacked from its return): run the
			// body with this call's arguments.
			if prm := Params(fn); len(prm) > 0 && (prm[0] == "cls" || prm[0] == "self") && b.Site != nil {
				if f := b.Site.ChildByField("function"); f != nil && f.Kind == "attribute" {
					b.Names[prm[0]] = f.ChildByField("object")
				}
			}
			hits, runWhy := p.runTo(fn, call, b)
			if p.anyRule(ruleN, hits) {
				bs = hits
			} else if runWhy != "" {
				why = ": " + runWhy
			}
		}
		if b.Site != nil {
			p.declare(b.Site)
			why += p.registryNote(fn, b.Site)
		}
		rows := false
		for _, bb := range bs {
			if bb.Item != nil && bb.Item.File != nil && bb.Item != b.Item {
				p.declare(bb.Item) // each row of a table the call passes is a registration
				rows = true
			}
			if p.ruleIn(ruleN, bb).Kind != Str {
				p.unresolved("this call of " + name.Text() + "() gives a rule the analysis cannot compute (`" + short(ruleN.Text()) + "`)" + why)
				continue
			}
			for _, o := range p.objectsAt(recv, bb, 0) {
				if o.Kind != "api" && o.Kind != "restx" && o.Kind != "namespace" {
					p.urlRuleWith(m, call, o, bb)
				}
			}
		}
		if rows && b.Site != nil {
			delete(p.declOf, b.Site) // counted by its rows
		} else if p.curDecl != nil && !p.curDecl.Resolved {
			p.unresolved("this call of " + name.Text() + "() gives a rule the analysis cannot compute (`" + short(ruleN.Text()) + "`)" + why)
		}
	}
	p.curDecl = tmpl
	delete(p.declOf, call) // counted by its call sites (or their table rows)
	return true
}

// anyRule reports whether rule evaluates to a constant under one of bs.
func (p *Project) anyRule(rule *python.Node, bs []Binding) bool {
	for _, b := range bs {
		if p.ruleIn(rule, b).Kind == Str {
			return true
		}
	}
	return false
}

// ruleIn evaluates a route rule under b as urlRuleWith will: in rule mode
// (an instance attribute its constructor computes, a leading setting).
func (p *Project) ruleIn(rule *python.Node, b Binding) Value {
	return p.evalRuleAssuming(func() Value { return p.EvalIn(rule, b) })
}
