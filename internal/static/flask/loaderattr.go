package flask

import (
	"fmt"

	"github.com/authprobe/authprobe/internal/static/python"
)

// loaderSetsAttr says where the project sets attribute attr on an object
// it is handed at run time (setattr(clazz, "blueprint", bp), or
// cls.blueprint = bp with cls a parameter): a loader that gives classes
// their blueprint. "" when no code does. A receiver bound to
// SomeClass.attr that the class never sets is such a loader's value, and
// which classes the loader is given is not in the source.
func (p *Project) loaderSetsAttr(attr string) string {
	if p.loaderAttrs == nil {
		p.loaderAttrs = map[string]string{}
		for _, m := range p.Modules {
			for _, c := range m.File.OfKind("call") {
				if c.ChildByField("function").Text() != "setattr" {
					continue
				}
				args := c.ChildByField("arguments")
				target, name := positional(args, 0), positional(args, 1)
				if target == nil || name == nil {
					continue
				}
				if s, ok := name.StringValue(); ok {
					p.noteLoaderAttr(m, c, s, target)
				}
			}
			for _, a := range m.File.OfKind("assignment") {
				left := a.ChildByField("left")
				if left != nil && left.Kind == "attribute" {
					p.noteLoaderAttr(m, a, left.ChildByField("attribute").Text(), left.ChildByField("object"))
				}
			}
		}
	}
	return p.loaderAttrs[attr]
}

// noteLoaderAttr records the first place attr is set on target, when
// target is a parameter of the enclosing function (an object handed in).
func (p *Project) noteLoaderAttr(m *Module, at *python.Node, attr string, target *python.Node) {
	target = target.Unparen()
	if target == nil || target.Kind != "identifier" {
		return
	}
	fn := ParamOf(target)
	if fn == nil || selfClass(target) != nil {
		return
	}
	if _, seen := p.loaderAttrs[attr]; seen {
		return
	}
	callers := "which no project code calls by name (a plugin loader or framework invokes it)"
	if n := len(p.CallSites(fn)); n > 0 {
		callers = fmt.Sprintf("called from %d place(s) with objects the analysis cannot list", n)
	}
	p.loaderAttrs[attr] = fmt.Sprintf("%s at %s:%d, %s a parameter of %s(), %s",
		short(at.Text()), m.File.Path, at.Line, target.Text(), fn.ChildByField("name").Text(), callers)
}
