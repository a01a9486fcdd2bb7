package flask

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Why a registration helper's call was not expanded, said from what the
// helper does rather than as a guess:
//
//	def add_resource(self, res):
//	    for path, methods, name, func in res.endpoints():
//	        self.register(path, name, func, methods=methods)
//
// The rules come from a list the object passed in builds at run time (a
// method's result), often a registry that the project's own endpoint
// decorators fill (def get(path): ... f._endpoint = path), which a
// metaclass or the class collects. The model does not follow values
// through such registries; the reason names the loop and the decorators.

// helperWhy is the reason a call (site) of registration helper def
// registers nothing the model places.
func (p *Project) helperWhy(def, site *python.Node) string {
	name := def.ChildByField("name").Text() + "()"
	loop, _ := registryLoop(def)
	if loop == "" {
		return "the registration helper " + name + " is called here with arguments the analysis cannot bind to constants (forwarded *args, a parameter, a computed value)"
	}
	return "the registration helper " + name + " registers the rules that " + loop +
		" returns (a list the object passed in builds at run time); the analysis does not follow values through such a registry" +
		p.registryNote(def, site)
}

// registryLoop finds the loop of fn over what a parameter's method
// returns (for path, view in res.endpoints()): its list and the parameter.
func registryLoop(fn *python.Node) (loop, param string) {
	params := map[string]bool{}
	for i, prm := range Params(fn) {
		if i == 0 && (prm == "self" || prm == "cls") {
			continue
		}
		params[prm] = true
	}
	fn.ChildByField("body").Walk(func(c *python.Node) bool {
		switch c.Kind {
		case "function_definition", "class_definition", "lambda":
			return false
		case "for_statement":
			right := c.ChildByField("right").Unparen()
			if right != nil && right.Kind == "call" {
				if f := right.ChildByField("function"); f.Kind == "attribute" {
					if o := f.ChildByField("object").Unparen(); o.Kind == "identifier" && params[o.Text()] {
						loop, param = short(right.Text()), o.Text()
					}
				}
			}
		}
		return loop == ""
	})
	return loop, param
}

// registryNote names, for a call (site) of fn that loops over what the
// object it is given returns, the project's endpoint decorators on that
// object's class ("; Orders's methods carry ... @action ..."), or "".
func (p *Project) registryNote(fn, site *python.Node) string {
	_, param := registryLoop(fn)
	if param == "" || site == nil || site.Kind != "call" {
		return ""
	}
	arg := CallSite{Call: site}.Arg(fn, param).Unparen()
	if arg != nil && arg.Kind == "call" {
		arg = arg.ChildByField("function")
	}
	if arg == nil {
		return ""
	}
	m, cls := p.ResolveClass(p.ModuleOf(site), arg.DottedName())
	if cls == nil {
		return ""
	}
	marking := map[*python.Node]bool{}
	for _, f := range p.markingDecorators() {
		marking[f] = true
	}
	var decs []string
	seen := map[string]bool{}
	for _, ref := range p.classChain(m, cls) {
		for _, fd := range ref.mod.File.OfKind("function_definition") {
			if fd.Ancestor("class_definition") != ref.cls {
				continue
			}
			for _, d := range Decorators(fd) {
				if d.Kind != "call" {
					continue
				}
				if _, f := p.ResolveFunc(ref.mod, d.ChildByField("function").DottedName()); marking[f] && !seen[f.ChildByField("name").Text()] {
					seen[f.ChildByField("name").Text()] = true
					decs = append(decs, "@"+f.ChildByField("name").Text())
				}
			}
		}
	}
	if len(decs) == 0 {
		return ""
	}
	sort.Strings(decs)
	return "; " + cls.ChildByField("name").Text() + "'s methods carry the project's own endpoint decorators " + strings.Join(decs, ", ") +
		", which store their rule on the function for the class to collect"
}

// markingDecorators are the project's endpoint decorator factories:
// functions that store a parameter on the function they decorate (def
// get(path): def d(f): f._endpoint = path) as an attribute the project
// reads elsewhere (hasattr(value, "_endpoint"), func._endpoint), and that
// some decoration passes a URL rule ("/items/<id>"). Computed once.
func (p *Project) markingDecorators() []*python.Node {
	if p.marking != nil {
		return *p.marking
	}
	read := map[string]bool{}
	factories := map[*python.Node]bool{}
	for _, m := range p.Modules {
		for _, c := range m.File.OfKind("call") {
			// hasattr(x, "_endpoint"), getattr(x, "_endpoint", None)
			if n := c.ChildByField("function").Text(); n == "hasattr" || n == "getattr" {
				if s, ok := positional(c.ChildByField("arguments"), 1).StringValue(); ok {
					read[s] = true
				}
			}
		}
		// path = func._endpoint: an attribute read into a value.
		for _, asg := range m.File.OfKind("assignment") {
			asg.ChildByField("right").Walk(func(c *python.Node) bool {
				if c.Kind == "attribute" {
					read[c.ChildByField("attribute").Text()] = true
				}
				return c.Kind != "lambda"
			})
		}
	}
	for _, m := range p.Modules {
		for _, def := range m.File.OfKind("function_definition") {
			if def.Ancestor("function_definition") != nil || def.Ancestor("class_definition") != nil {
				continue
			}
			for _, attr := range storedParams(def) {
				factories[def] = factories[def] || read[attr]
			}
		}
	}
	seen := map[*python.Node]bool{}
	var out []*python.Node
	for _, m := range p.Modules {
		for _, fd := range m.File.OfKind("function_definition") {
			for _, d := range Decorators(fd) {
				if d.Kind != "call" {
					continue
				}
				rule, ok := positional(d.ChildByField("arguments"), 0).StringValue()
				if !ok || !strings.HasPrefix(rule, "/") && !strings.Contains(rule, "<") {
					continue
				}
				if _, def := p.ResolveFunc(m, d.ChildByField("function").DottedName()); def != nil && factories[def] && !seen[def] {
					seen[def] = true
					out = append(out, def)
				}
			}
		}
	}
	p.marking = &out
	return out
}

// storedParams are the attributes a decorator factory def's nested
// decorator sets on the function it receives to one of def's parameters
// (f._endpoint = path).
func storedParams(def *python.Node) []string {
	params := map[string]bool{}
	for _, prm := range Params(def) {
		params[prm] = true
	}
	var out []string
	for _, inner := range def.ChildByField("body").NamedChildren() {
		if inner.Kind == "decorated_definition" {
			inner = inner.ChildByField("definition")
		}
		if inner == nil || inner.Kind != "function_definition" || len(Params(inner)) != 1 {
			continue
		}
		target := Params(inner)[0]
		for _, asg := range inner.File.OfKind("assignment") {
			if !inner.Contains(asg) {
				continue
			}
			left, right := asg.ChildByField("left"), asg.ChildByField("right").Unparen()
			if left.Kind != "attribute" || right == nil || right.Kind != "identifier" || !params[right.Text()] {
				continue
			}
			if o := left.ChildByField("object").Unparen(); o.Kind == "identifier" && o.Text() == target {
				out = append(out, left.ChildByField("attribute").Text())
			}
		}
	}
	return out
}
