package flask

import (
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// depCheck follows one dependency expression: Depends(X)/Security(X), a
// security scheme instance, or a project function (its own parameters'
// dependencies, then its body).
func (p *Project) depCheck(m *Module, d *python.Node, depth int) depCheck {
	d = d.Unparen()
	if m == nil || d == nil || depth > 6 {
		return depCheck{}
	}
	if d.Kind == "call" {
		switch name := fastapiName(m, d.ChildByField("function")); {
		case name == "Depends" || name == "Security":
			a := argsOf(d)
			inner := a.positional(0)
			if inner == nil {
				inner = a.keyword("dependency")
			}
			return p.depCheck(m, inner, depth) // depth counts functions only
		case fastapiSchemes[name].in != "":
			return p.schemeCheck(m, d, fastapiSchemes[name])
		}
		if c, ok := p.classDep(m, d, depth); ok {
			return c
		}
	}
	if d.Kind == "identifier" || d.Kind == "attribute" {
		// A scheme instance bound to a name (api_key_header = APIKeyHeader(...)).
		if rhs := p.nameRHS(m, d, d.DottedName(), 0).Unparen(); rhs != nil && rhs.Kind == "call" {
			if s := fastapiSchemes[fastapiName(p.ModuleOf(rhs), rhs.ChildByField("function"))]; s.in != "" {
				return p.schemeCheck(p.ModuleOf(rhs), rhs, s)
			}
			if c, ok := p.classDep(p.ModuleOf(rhs), rhs, depth); ok {
				return c
			}
		}
	}
	fm, def := p.resolveCallable(m, d)
	if def == nil || def.Kind != "function_definition" {
		return depCheck{}
	}
	return p.funcCheck(fm, def, depth+1)
}

// schemeCheck is a security scheme used as a dependency: it reads its
// credential and, unless auto_error=False, refuses a request without one.
func (p *Project) schemeCheck(m *Module, call *python.Node, s scheme) depCheck {
	a := argsOf(call)
	c := depCheck{kind: s.kind, gate: true, lines: []Loc{{File: m.File.Path, Line: call.Line}}}
	if v, ok := p.Eval(a.keyword("auto_error")).Truthy(); ok && !v {
		c.gate = false // the dependent code decides
	}
	read := CredRead{In: s.in, File: m.File.Path, Line: call.Line}
	if s.in == "header" || s.in == "query" || s.in == "cookie" {
		n := a.keyword("name")
		if n == nil {
			n = a.positional(0)
		}
		v := p.evalSetting(n)
		if v.Kind != Str || v.S == "" {
			return c // a name the analysis cannot read: the gate stays, no place
		}
		read.Name = v.S
	}
	c.reads = []CredRead{read}
	return c
}

// evalSetting evaluates the name a credential travels under, which a
// settings object often holds (APIKeyHeader(name=settings.API_KEY_NAME),
// API_KEY_NAME: str = "access_token" in a BaseSettings class; a getenv
// with a default): as a route rule is, taking such a setting at its
// default. An empty default names no place.
func (p *Project) evalSetting(n *python.Node) Value {
	if n == nil {
		return Value{}
	}
	prev := p.rulePrefix
	p.rulePrefix = &ruleAssumptions{}
	defer func() { p.rulePrefix = prev }()
	v := p.Eval(n)
	if s, ok := p.settingDefault(v, n); ok {
		return Value{Kind: Str, S: s, Node: n}
	}
	return v
}

// funcCheck is what a dependency function (or a view) does: its
// parameters' dependencies and reads, then whether its body refuses.
func (p *Project) funcCheck(m *Module, def *python.Node, depth int) depCheck {
	if m == nil {
		m = p.ModuleOf(def)
	}
	if m == nil || def == nil {
		return depCheck{}
	}
	if p.depMemo == nil {
		p.depMemo = map[*python.Node]*depCheck{}
	}
	if c, ok := p.depMemo[def]; ok {
		if c.visited {
			return depCheck{} // a cycle
		}
		return *c
	}
	memo := &depCheck{visited: true}
	p.depMemo[def] = memo
	var c depCheck
	optional := false // a credential read that does not refuse by itself
	for _, prm := range def.ChildByField("parameters").NamedChildren() {
		for _, mk := range p.markers(m, prm) {
			mm := p.ModuleOf(mk)
			switch name := fastapiName(mm, mk.ChildByField("function")); {
			case paramReads[name] != "":
				r := p.paramRead(m, prm, mk, paramReads[name])
				c.reads = append(c.reads, r)
				c.own = append(c.own, r)
				optional = true
			default:
				sub := p.depCheck(mm, mk, depth)
				c.reads = append(c.reads, sub.reads...)
				c.jwt = c.jwt || sub.jwt
				c.lines = append(c.lines, sub.lines...)
				if sub.gate {
					c.gate, c.kind = true, sub.kind
				} else if len(sub.reads) > 0 {
					optional = true
					if c.kind == "" {
						c.kind = sub.kind
					}
				}
			}
		}
	}
	fi := p.analyzeFunc(def, 0)
	c.jwt = c.jwt || fi.kinds["jwt"]
	refusals := p.refusals(m, def)
	if !c.gate && (optional || fi.reads) && (len(refusals) > 0 || fi.rejects) {
		c.gate = true
		if c.kind == "" {
			c.kind = "custom"
			for _, r := range c.reads {
				if r.In != "bearer" && r.In != "basic" {
					c.kind = "api-key"
				}
			}
		}
	}
	if fi.Kind() != "" && (c.kind == "" || c.kind == "custom") {
		c.kind = fi.Kind()
	}
	c.lines = append(c.lines, refusals...)
	c.lines = append(c.lines, fi.lines...)
	*memo = c
	return c
}

// paramRead is where a Header/Cookie/Query parameter is read: its alias,
// else its name (a header's with underscores turned into hyphens, as
// FastAPI does unless convert_underscores=False).
func (p *Project) paramRead(m *Module, prm, mk *python.Node, in string) CredRead {
	a := argsOf(mk)
	name := paramIdent(prm)
	if v := p.evalSetting(a.keyword("alias")); v.Kind == Str && v.S != "" {
		name = v.S
	} else if in == "header" {
		if conv, ok := p.Eval(a.keyword("convert_underscores")).Truthy(); !ok || conv {
			name = strings.ReplaceAll(name, "_", "-")
		}
	}
	return CredRead{In: in, Name: name, File: m.File.Path, Line: prm.Line}
}

// refusals are the lines where def raises an HTTPException with 401 or
// 403 (status_code=401, status.HTTP_403_FORBIDDEN, a local or module
// name bound to such an exception).
func (p *Project) refusals(m *Module, def *python.Node) []Loc {
	var out []Loc
	def.ChildByField("body").Walk(func(n *python.Node) bool {
		if n.Kind == "function_definition" || n.Kind == "class_definition" {
			return false
		}
		if n.Kind != "raise_statement" {
			return true
		}
		exc := n.NamedChildren()
		if len(exc) == 0 {
			return true
		}
		e := exc[0].Unparen()
		if e != nil && e.Kind == "identifier" {
			if rhs := LocalAssign(def, e.Text(), n.Start); rhs != nil {
				e = rhs.Unparen()
			} else if rhs := p.nameRHS(m, e, e.Text(), 0); rhs != nil {
				e = rhs.Unparen()
			}
		}
		if e != nil && e.Kind == "call" && p.refusalStatus(e) {
			out = append(out, Loc{File: m.File.Path, Line: n.Line})
		}
		return true
	})
	return out
}

// refusalStatus: an exception call whose status is 401 or 403.
func (p *Project) refusalStatus(call *python.Node) bool {
	a := argsOf(call)
	st := a.keyword("status_code")
	if st == nil {
		st = a.positional(0)
	}
	if st == nil {
		return false
	}
	if v := p.Eval(st); v.Kind == Int {
		return v.I == 401 || v.I == 403
	}
	if m := statusName.FindStringSubmatch(st.Text()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n == 401 || n == 403
	}
	return false
}

// classDep is an instance of a project class used as a dependency
// (Depends(JWTBearer())): a subclass of a security scheme reads where the
// scheme does; its __call__ is the check.
func (p *Project) classDep(m *Module, call *python.Node, depth int) (depCheck, bool) {
	cm, cls := p.ResolveClass(m, call.ChildByField("function").DottedName())
	if cls == nil {
		return depCheck{}, false
	}
	chain := p.classChain(cm, cls)
	var c depCheck
	for _, ref := range chain {
		for _, b := range ref.cls.ChildByField("superclasses").NamedChildren() {
			if s := fastapiSchemes[fastapiName(ref.mod, b)]; s.in != "" {
				// The scheme's own refusal of a missing credential,
				// with the arguments given to the subclass.
				c = p.schemeCheck(m, call, s)
			}
		}
	}
	if ref, def := classMember(chain, "__call__"); def != nil && def.Kind == "function_definition" {
		sub := p.funcCheck(ref.mod, def, depth+1)
		c.reads = append(c.reads, sub.reads...)
		c.lines = append(c.lines, sub.lines...)
		c.jwt = c.jwt || sub.jwt
		if sub.gate || len(c.reads) > 0 && len(sub.lines) > 0 && p.analyzeFunc(def, 0).rejects {
			c.gate = true
			if sub.kind != "" && sub.kind != "custom" {
				c.kind = sub.kind
			}
		}
	} else if len(c.reads) == 0 {
		return depCheck{}, false
	}
	if c.kind == "" {
		c.kind = "custom"
	}
	return c, true
}
