package rules

// A check inside a decorator that nothing applies is not request-handling
// code: no route runs it (batch 6's IntelliLot optional_token, televip's
// require_api_key). A module-level function of one parameter that returns
// a function it defines is a decorator; when its name occurs nowhere in
// the project's Python sources but at its own def (no @name, no call, no
// import, no string naming it), a finding inside it gets that fact as a
// counter for the gate. Any other occurrence keeps the finding.

import (
	"bytes"

	"github.com/authprobe/authprobe/internal/static/python"
)

// unappliedDecorator is the def of the decorator nothing applies that n
// lies in, or nil.
func (ps *Pass) unappliedDecorator(n *python.Node) *python.Node {
	var top *python.Node
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Kind == "function_definition" {
			top = p
		}
	}
	if top == nil || top.Parent == nil {
		return nil
	}
	if par := top.Parent; par.Kind != "module" && !(par.Kind == "decorated_definition" && par.Parent != nil && par.Parent.Kind == "module") {
		return nil
	}
	if !returnsInnerDef(top) {
		return nil
	}
	name := top.ChildByField("name").Text()
	if name == "" {
		return nil
	}
	if ps.wordCount == nil {
		ps.wordCount = map[string]int{}
	}
	c, ok := ps.wordCount[name]
	if !ok {
		for _, m := range ps.Project.Modules {
			if m.File != nil {
				c += countWord(m.File.Src, []byte(name))
			}
		}
		ps.wordCount[name] = c
	}
	if c != 1 {
		return nil
	}
	return top
}

// returnsInnerDef: fn takes one plain parameter and returns a function
// defined in its body (def decorator(f): ... def wrapper(...) ...
// return wrapper).
func returnsInnerDef(fn *python.Node) bool {
	prms := fn.ChildByField("parameters").NamedChildren()
	if len(prms) != 1 || prms[0].Kind != "identifier" {
		return false
	}
	body := fn.ChildByField("body")
	inner := map[string]bool{}
	for _, st := range body.NamedChildren() {
		d := st
		if d.Kind == "decorated_definition" {
			d = d.ChildByField("definition")
		}
		if d != nil && d.Kind == "function_definition" {
			inner[d.ChildByField("name").Text()] = true
		}
	}
	ret := false
	body.Walk(func(x *python.Node) bool {
		if x.Kind == "function_definition" || x.Kind == "lambda" {
			return false
		}
		if x.Kind == "return_statement" {
			if v := x.NamedChildren(); len(v) == 1 && v[0].Kind == "identifier" && inner[v[0].Text()] {
				ret = true
			}
		}
		return true
	})
	return ret
}

// countWord counts the occurrences of w in src as a whole identifier.
func countWord(src, w []byte) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(src[i:], w)
		if j < 0 {
			return n
		}
		s, e := i+j, i+j+len(w)
		if (s == 0 || !identByte(src[s-1])) && (e == len(src) || !identByte(src[e])) {
			n++
		}
		i = e
	}
}

func identByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}
