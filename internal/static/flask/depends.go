package flask

import (
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// FastAPI's gates are dependencies: Depends(fn)/Security(fn) in a view's
// signature (a default or an Annotated[...] element), dependencies=[...]
// on the route, its router, an include_router or the app. A dependency
// gates when, through its own dependencies, it reads a credential (a
// security scheme: APIKeyHeader, HTTPBearer, OAuth2PasswordBearer, ...; a
// Header/Cookie/Query parameter) and refuses (an HTTPException with 401
// or 403, or a scheme that refuses a missing credential itself). A route
// with none is public.

// scheme is a FastAPI security class: the kind of credential it reads,
// where it travels ("header", "query", "cookie", "bearer", "basic").
type scheme struct{ kind, in string }

// fastapiSchemes are fastapi.security's classes by name (data).
var fastapiSchemes = map[string]scheme{
	"APIKeyHeader": {"api-key", "header"}, "APIKeyQuery": {"api-key", "query"}, "APIKeyCookie": {"api-key", "cookie"},
	"HTTPBearer": {"custom", "bearer"}, "OAuth2PasswordBearer": {"custom", "bearer"},
	"OAuth2AuthorizationCodeBearer": {"custom", "bearer"}, "OpenIdConnect": {"custom", "bearer"}, "OAuth2": {"custom", "bearer"},
	"HTTPBasic": {"basic", "basic"}, "HTTPDigest": {"custom", "digest"},
}

// paramReads are FastAPI's request-parameter markers that read a value
// from the request (data).
var paramReads = map[string]string{"Header": "header", "Cookie": "cookie", "Query": "query"}

// CredRead is where a gate of the source reads its credential: In is
// header, query, cookie, bearer or basic; Name the header, parameter or
// cookie name ("" for bearer and basic).
type CredRead struct {
	In, Name string
	File     string
	Line     int
}

// depCheck is what a dependency does with credentials.
type depCheck struct {
	kind    string
	gate    bool // refuses a request without the credential
	reads   []CredRead
	own     []CredRead // the function's own Header/Cookie/Query parameters
	jwt     bool
	lines   []Loc
	visited bool
}

// fastapiName is the name a callee has in fastapi ("Depends",
// "APIKeyHeader"), "" when it is not fastapi's.
func fastapiName(m *Module, callee *python.Node) string {
	if m == nil || callee == nil {
		return ""
	}
	q := m.Qualify(callee.DottedName())
	if top, _, _ := strings.Cut(q, "."); top != "fastapi" {
		return ""
	}
	return q[strings.LastIndexByte(q, '.')+1:]
}

// dependencyAuth is the gates a route's dependencies make.
func (p *Project) dependencyAuth(r *Route) []Auth {
	var deps []*python.Node
	if r.Decl != nil && r.Decl.Kind == "call" {
		if kw := keyword(r.Decl.ChildByField("arguments"), "dependencies"); kw != nil {
			deps = append(deps, kw)
		}
	}
	deps = append(deps, p.routerDeps(r.Object, 0)...)
	if r.Object == nil || !r.Object.Router {
		if len(deps) == 0 {
			return nil
		}
	}
	var out []Auth
	for _, list := range deps {
		l := list.Unparen()
		if l == nil || l.Kind != "list" && l.Kind != "tuple" {
			continue
		}
		for _, d := range l.NamedChildren() {
			if a, ok := p.depAuth(p.ModuleOf(d), d); ok {
				out = append(out, a)
			}
		}
	}
	if r.Def == nil || r.Def.Kind != "function_definition" || r.Object == nil || !r.Object.Router {
		return out
	}
	m := p.ModuleOf(r.Def)
	// A token a scheme hands the view, decoded by the view itself
	// (token: str = Depends(oauth2_scheme); jwt.decode(token, ...)).
	viewJWT := p.analyzeFunc(r.Def, 0).kinds["jwt"]
	fromParams := len(out)
	for _, prm := range r.Def.ChildByField("parameters").NamedChildren() {
		for _, d := range p.markers(m, prm) {
			if a, ok := p.depAuth(p.ModuleOf(d), d); ok {
				if viewJWT && a.Kind == "custom" {
					a.Kind = "jwt"
				}
				out = append(out, a)
			}
		}
	}
	// The view itself reading a Header/Cookie parameter and refusing.
	// Query parameters of a view are its data (a login's username, a
	// URL to fetch): only a header or cookie it reads and refuses on is
	// a credential.
	// Unless a dependency of its signature is the gate (counted once).
	if c := p.funcCheck(m, r.Def, 0); c.gate && carried(c.own) && len(out) == fromParams {
		out = append(out, Auth{Kind: kindOr(c.kind), Name: r.Handler, Via: "inline", File: r.File, Line: r.Line, Lines: c.lines, Node: r.Def})
		p.noteReads(c.own)
	}
	return out
}

// depAuth is the gate one dependency expression makes, if any.
func (p *Project) depAuth(m *Module, d *python.Node) (Auth, bool) {
	c := p.depCheck(m, d, 0)
	if !c.gate {
		return Auth{}, false
	}
	kind := c.kind
	if c.jwt && (kind == "custom" || kind == "") {
		kind = "jwt"
	}
	p.noteReads(c.reads)
	return Auth{Kind: kindOr(kind), Name: short(d.Text()), Via: "dependency", File: m.File.Path, Line: d.Line, Lines: c.lines, Node: d}, true
}

func (p *Project) noteReads(reads []CredRead) {
	for _, r := range reads {
		dup := false
		for _, x := range p.asgiReads {
			dup = dup || x.In == r.In && strings.EqualFold(x.Name, r.Name)
		}
		if !dup {
			p.asgiReads = append(p.asgiReads, r)
		}
	}
}

// CredentialReads are where the source's dependency gates read their
// credential (FastAPI's security schemes and Header/Cookie/Query
// parameters), in the order the routes met them.
func (p *Project) CredentialReads() []CredRead { return p.asgiReads }

// markers are the Depends/Security/Header/Cookie/Query calls of one
// parameter: its default, or the elements of its Annotated[...] type.
// A type named by an alias (CurrentUser = Annotated[User,
// Depends(get_current_user)], FastAPI's own template) is the alias's.
func (p *Project) markers(m *Module, prm *python.Node) []*python.Node {
	var out []*python.Node
	if v := prm.ChildByField("value"); v != nil && v.Unparen() != nil && v.Unparen().Kind == "call" {
		out = append(out, v.Unparen())
	}
	t := prm.ChildByField("type")
	if t != nil && t.Kind == "type" && len(t.NamedChildren()) == 1 {
		t = t.NamedChildren()[0]
	}
	if t != nil && (t.Kind == "identifier" || t.Kind == "attribute") {
		if rhs := p.nameRHS(m, t, t.DottedName(), 0); rhs != nil {
			t = rhs
		}
	}
	if t != nil {
		tm := p.ModuleOf(t)
		t.Walk(func(n *python.Node) bool {
			if n.Kind == "call" && fastapiName(tm, n.ChildByField("function")) != "" {
				out = append(out, n)
				return false
			}
			return true
		})
	}
	return out
}

// paramIdent is a parameter's name.
func paramIdent(prm *python.Node) string {
	if n := prm.ChildByField("name"); n != nil {
		return n.Text()
	}
	if c := prm.NamedChildren(); len(c) > 0 && c[0].Kind == "identifier" {
		return c[0].Text()
	}
	return prm.Text()
}

var statusName = regexp.MustCompile(`HTTP_(\d{3})_`)

// carried: a read of a header or cookie.
func carried(reads []CredRead) bool {
	for _, r := range reads {
		if r.In == "header" || r.In == "cookie" {
			return true
		}
	}
	return false
}
