package flask

import "github.com/authprobe/authprobe/internal/static/python"

// resolvedCall is the project function a call names as written
// (ResolveFunc of its callee in its module), memoized per call: the call
// sites of a function are looked for among every call of the same last
// name, so on a large project each call of a common name ("get", "run")
// was resolved again for every function of that name (bazarr, 1M lines:
// 13% of the analysis). Used once the model is built, when what a name
// resolves to no longer changes.
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
