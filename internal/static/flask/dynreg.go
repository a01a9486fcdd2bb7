package flask

import (
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Loaders that register what they discover. A project may find its
// blueprints at run time — walking a package with pkgutil or os.walk,
// importing each module and registering every Blueprint instance in it
// (inspect.getmembers(mod, is_blueprint), dir(mod) with isinstance), or
// registering the submodules a parent collected — so that no call names
// the blueprint it registers. Such a register_blueprint call passes a
// value the model cannot name; a blueprint of the same tree that no call
// names is then taken as registered by it (with its own url_prefix), and
// the declaration says so (Decl.Assumed): the route is listed, not lost.

// noteDynamic records a register_blueprint call whose blueprint argument
// names nothing the model knows (no object, no other value).
func (p *Project) noteDynamic(call, arg *python.Node, b Binding) {
	if arg == nil || len(p.objectsAt(arg, b, 0)) > 0 || p.importedName(arg) {
		return
	}
	p.dynRegs = append(p.dynRegs, call)
}

// importedName says whether arg names one thing through an import
// (views.bp, api.export with `import app.controller as api`, or bp
// imported by name): a registration of that one blueprint the model did
// not resolve, not a loader registering whatever it discovers. Taking it
// for a loader would hand it every unnamed blueprint of the tree, at its
// own url_prefix.
func (p *Project) importedName(arg *python.Node) bool {
	n := arg.Unparen()
	for n != nil && n.Kind == "attribute" {
		n = n.ChildByField("object").Unparen()
	}
	if n == nil || n.Kind != "identifier" || ParamOf(n) != nil || loopBinding(n) != nil {
		return false
	}
	m := p.ModuleOf(n)
	if m == nil {
		return false
	}
	if _, ok := m.Imports[n.Text()]; !ok {
		return false
	}
	fn := n.Ancestor("function_definition")
	return fn == nil || LocalAssign(fn, n.Text(), n.Start) == nil
}

// dynamicReg is the first loader call of o's tree that may register it.
func (p *Project) dynamicReg(o *Object) *python.Node {
	if p.noDyn || o == nil {
		return nil
	}
	root := p.rootOf(o.Module)
	for _, n := range p.dynRegs {
		if r := p.rootOf(p.ModuleOf(n)); r == root || root == "" || strings.HasPrefix(r, root+".") {
			return n
		}
	}
	return nil
}

// assumedServed says how o reaches an app only through a loader call:
// "" when it is served without one (or not at all).
func (p *Project) assumedServed(o *Object, hasApp bool) (served bool, note string) {
	p.noDyn = true
	ok := p.served(o, hasApp, 0)
	p.noDyn = false
	if ok {
		return true, ""
	}
	if !p.served(o, hasApp, 0) {
		return false, ""
	}
	top := o
	for top != nil && len(top.Regs) > 0 {
		top = top.Regs[0].Parent
	}
	if top != nil && (top.Kind == "api" || top.Kind == "restx") && top.Parent != nil {
		top = top.Parent
	}
	what := "the object"
	if top != nil {
		what = top.Kind + " " + top.Var
		if top.Name != "" {
			what = top.Kind + " " + top.Name
		}
	}
	n := p.dynamicReg(top)
	if n == nil {
		n = p.dynamicReg(o)
	}
	if n == nil {
		return true, ""
	}
	return true, fmt.Sprintf("%s is registered by no call that names it; taken as registered by %s:%d `%s`, whose blueprint the analysis cannot name (a loader registering what it discovers, or an object the model does not resolve)",
		what, n.File.Path, n.Line, short(n.Text()))
}

// dynamicReceiver is the object the loader call o is taken as registered
// by registers on (a blueprint nesting what it loads, or the app), or nil.
func (p *Project) dynamicReceiver(o *Object) *Object {
	n := p.dynamicReg(o)
	if n == nil {
		return nil
	}
	f := n.ChildByField("function")
	if p.isPartial(n) { // partial(api_blp.register_blueprint, ...)
		f = argsOf(n).positional(0).Unparen()
	}
	if f == nil || f.Kind != "attribute" {
		return nil
	}
	if recv := p.ObjectAt(f.ChildByField("object")); recv != o {
		return recv
	}
	return nil
}

// nestedByLoader are the URL and endpoint prefixes of blueprint o, taken
// as registered by a loader call, under that call's receiver
// (api_blp.register_blueprint(load_module(path)) nests it in api_blp):
// prefix joined to each of the receiver's; false when o is no such
// blueprint.
func (p *Project) nestedByLoader(o *Object, prefix string, depth int) (urls, eps []string, ok bool) {
	if o.Kind != "blueprint" {
		return nil, nil, false
	}
	recv := p.dynamicReceiver(o)
	if recv == nil {
		return nil, nil, false
	}
	pu, pe := p.prefixes(recv, depth+1)
	for i := range pu {
		urls = append(urls, joinPath(pu[i], prefix))
		eps = append(eps, pe[i]+o.Name+".")
	}
	return urls, eps, true
}
