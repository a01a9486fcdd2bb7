package flask

import (
	"slices"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Once the model is built, what a name resolves to no longer changes, so
// the calls of each last name are resolved once and grouped by the
// function they name: a function's call sites were looked for among every
// call of its last name, each resolved again for every function of that
// name ("get", "run": bazarr, 1.2M lines, spent 13% of its analysis there).

// namedSites maps each project function to its call sites among the calls
// of name, in the order of callIndex.
func (p *Project) namedSites(name string) map[*python.Node][]CallSite {
	if g, ok := p.namedMemo[name]; ok {
		return g
	}
	g := map[*python.Node][]CallSite{}
	for _, c := range p.callIndex[name] {
		if def := p.resolvedCall(c); def != nil {
			g[def] = append(g[def], CallSite{Call: c})
		}
	}
	for def, cs := range g {
		g[def] = slices.Clip(cs)
	}
	if p.namedMemo == nil {
		p.namedMemo = map[string]map[*python.Node][]CallSite{}
	}
	p.namedMemo[name] = g
	return g
}

// resolvedCall is the project function a call names as written
// (ResolveFunc of its callee in its module), memoized per call (a call is
// indexed under its last name and under the name it was imported as).
func (p *Project) resolvedCall(c *python.Node) *python.Node {
	if def, ok := p.resolvedMemo[c]; ok {
		return def
	}
	_, def := p.ResolveFunc(p.ModuleOf(c), c.ChildByField("function").DottedName())
	if p.resolvedMemo == nil {
		p.resolvedMemo = map[*python.Node]*python.Node{}
	}
	p.resolvedMemo[c] = def
	return def
}
