package flask

import (
	"strconv"

	"github.com/authprobe/authprobe/internal/static/python"
)

// whyUnknown says which part of an expression the analysis cannot
// compute and what that part is bound to, following names to their
// assignments a few steps: ": `ext` is assigned `f'<any({ext_list}):ext>'`
// (line 71); `ext_list` is assigned `','.join(extensions or [...])` (line
// 70); `extensions` ... reads the setting `app.config.get(...)` at run
// time". "" when it finds nothing more precise to say.
func (p *Project) whyUnknown(n *python.Node) string {
	var parts []string
	seen := map[*python.Node]bool{}
	for depth := 0; n != nil && depth < 4; depth++ {
		leaf := p.unknownLeaf(n, 0)
		if leaf == nil || seen[leaf] {
			break
		}
		seen[leaf] = true
		text := "`" + short(leaf.Text()) + "`"
		switch leaf.Kind {
		case "identifier":
			name := leaf.Text()
			if fn := ParamOf(leaf); fn != nil {
				sites := len(p.CallSites(fn))
				parts = append(parts, text+" is a parameter of "+fn.ChildByField("name").Text()+"() ("+strconv.Itoa(sites)+" call site(s), none giving it a constant)")
				n = nil
				continue
			}
			if loop := loopBinding(leaf); loop != nil {
				parts = append(parts, text+" is a variable of the loop over `"+short(loop.ChildByField("right").Text())+"`, which is not a constant table")
				n = nil
				continue
			}
			var rhs *python.Node
			if fn := leaf.Ancestor("function_definition"); fn != nil {
				rhs = LocalAssign(fn, name, leaf.Start)
			}
			if rhs == nil {
				rhs = p.nameRHS(p.ModuleOf(leaf), leaf, name, 0)
			}
			if rhs == nil {
				if m := p.ModuleOf(leaf); m != nil {
					if imp, ok := m.Imports[name]; ok && p.Module(imp.Module) == nil {
						parts = append(parts, text+" is imported from "+imp.Module+", outside the analysed directory")
						n = nil
						continue
					}
				}
				parts = append(parts, text+" is bound nowhere the analysis sees")
				n = nil
				continue
			}
			parts = append(parts, text+" is assigned `"+short(rhs.Text())+"` (line "+strconv.Itoa(rhs.Line)+")")
			n = rhs
		default:
			if read, _, _, _ := p.settingRead(leaf, 0); read != nil {
				parts = append(parts, text+" reads a setting at run time")
			} else if leaf.Kind == "call" {
				parts = append(parts, text+" is computed by a call the analysis does not evaluate")
			} else {
				parts = append(parts, text+" is not a constant")
			}
			n = nil
		}
	}
	if len(parts) == 0 {
		return ""
	}
	out := ": "
	for i, s := range parts {
		if i > 0 {
			out += "; "
		}
		out += s
	}
	return out
}

// unknownLeaf is the first sub-expression of n, in reading order, that
// does not evaluate to a constant and is a name, an attribute, a
// subscript or a call (the part to explain); nil when n is constant.
func (p *Project) unknownLeaf(n *python.Node, depth int) *python.Node {
	n = n.Unparen()
	if n == nil || depth > 8 || p.Eval(n).Known() {
		return nil
	}
	switch n.Kind {
	case "identifier", "attribute", "subscript", "call":
		if n.Kind == "call" {
			// "/".join(parts), fmt.format(x): explain the unknown argument.
			for _, a := range n.ChildByField("arguments").NamedChildren() {
				if a.Kind == "keyword_argument" {
					a = a.ChildByField("value")
				}
				if l := p.unknownLeaf(a, depth+1); l != nil {
					return l
				}
			}
			if f := n.ChildByField("function"); f.Kind == "attribute" {
				if l := p.unknownLeaf(f.ChildByField("object"), depth+1); l != nil {
					return l
				}
			}
		}
		return n
	}
	for _, c := range n.NamedChildren() {
		if c.Kind == "interpolation" && len(c.NamedChildren()) > 0 {
			c = c.NamedChildren()[0]
		}
		if l := p.unknownLeaf(c, depth+1); l != nil {
			return l
		}
	}
	return nil
}
