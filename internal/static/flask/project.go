// Package flask builds a model of a Flask project from parsed Python files:
// modules and their constants, apps and blueprints, routes with their rules
// and endpoint names, and the authentication each route gets (decorators,
// before_request hooks, Flask-RESTful and MethodView decorators, checks in
// the handler). Rules read the model; nothing here reports findings.
package flask

import (
	"fmt"
	"github.com/authprobe/authprobe/internal/static/exact"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Project is the model of one analysed directory.
type Project struct {
	Modules []*Module
	// marking caches markingDecorators (helperwhy.go); registries the
	// lists endpoint decorators fill (registry.go).
	marking    *[]*python.Node
	registries map[registryKey]*Value
	byName     map[string]*Module
	byFile     map[*python.File]*Module
	// bySuffix resolves names imported relative to another root (built
	// on first use).
	bySuffix map[string]*Module
	// Config holds every app.config assignment, by key, in source order.
	Config map[string][]ConfigEntry
	Routes []*Route
	// Hooks are the before_request gates found.
	Hooks    []*Hook
	Warnings []string
	// Files and Lines count the analysed source.
	Files, Lines int
	objects      map[objKey]*Object
	funcMemo     map[*python.Node]*funcInfo
	// resolvingParams breaks cycles in argObject.
	resolvingParams map[*python.Node]bool
	// callIndex maps a callee's last name to its call nodes (built lazily).
	callIndex map[string][]*python.Node
	// bound is the loop binding EvalIn is evaluating under.
	bound *Binding
	// rulePrefix, while a route rule is evaluated, collects the run-time
	// settings taken at their defaults (runtimeprefix.go); dictDefaults
	// indexes the string values dict literals give each key.
	rulePrefix *ruleAssumptions
	// deciding marks the conditions being decided (truth and eval call
	// each other on comparisons).
	deciding map[*python.Node]bool
	// instMemo holds what each constructor call's __init__ assigns to
	// self (instattrs.go; rules only).
	instMemo map[*python.Node]map[string]Value
	// perCall holds the per-call instances of objects a helper makes and
	// registers itself (percall.go).
	perCall map[perCallKey]*Object
	// mounts are the prefixes a WSGI dispatcher mounts apps under
	// (mounts.go), computed once.
	mounts          map[*Object][]string
	dictDefaults    map[string]string
	dictDefaultVals map[string]map[string]bool
	// memos of the resolution steps that walk the whole project.
	argMemo  map[argKey]*Object
	bodyMemo map[*python.Node]*funcInfo
	// asgiReads are where dependency gates read credentials (depends.go);
	// depMemo their checks.
	asgiReads []CredRead
	depMemo   map[*python.Node]*depCheck
	asgiMW    map[*Object][]*asgiMiddleware
	cbMemo    map[string][]*python.Node
	ifMemo    map[*python.Node]*ifInfo // hooks' if statements (gateStmts)
	// declOf and extraDecls are the route-like declarations seen;
	// curDecl is the one being resolved.
	declOf     map[*python.Node]*Decl
	extraDecls []*Decl
	rowDecls   map[[2]*python.Node]*Decl
	curDecl    *Decl
	// Skipped lists what the analysis left out and why (directories,
	// test code, --exclude); set by the caller that picked the files.
	Skipped []string
	// Internal are URL prefixes the project's own reverse-proxy config
	// serves only internally (nginx "internal;" or "deny all;"); set by
	// the caller that walked the tree.
	Internal []InternalPath
	// Deploy are the deploy and packaging files of the tree (Dockerfiles,
	// Procfiles, compose files, setup.py, pyproject.toml, MANIFEST.in,
	// start scripts), by path from the analysed root; set by the caller
	// that walked the tree.
	Deploy []string
	// readFile reads a project file apps load at run time (an OpenAPI
	// file given to connexion), by path relative to the analysed root.
	readFile func(rel string) ([]byte, error)
	sites    map[string]*Object
	roots    map[*Module]string
	// Mode is "exact" when the routes are the imported app's url_map
	// (UseExact), else "static"; ModeNote says which app, or why the
	// import failed.
	Mode, ModeNote string
	// Stubbed are the third-party modules exact mode replaced with
	// stand-ins to import the app (its routes are "exact (stubbed: N
	// modules)").
	Stubbed []string
	// NotPlaced are routes the framework serves that the static model
	// did not place; Dropped those it placed that the app does not serve.
	NotPlaced, Dropped []NotPlaced
	// Settings are the security config the imported app reported (set,
	// length and entropy; never secret values).
	Settings []exact.Setting
	// injected maps an attribute name to where a module object is given
	// an app or blueprint under it (reasons only).
	injected map[string]string
	// injectedObjs are the objects loaders inject into modules they run,
	// by attribute name (injected.go).
	injectedObjs map[string]injection
	// lostRegs are register_blueprint calls whose receiver or blueprint
	// did not resolve (reasons only).
	lostRegs []*python.Node
	// dynRegs are register_blueprint calls whose blueprint names no
	// object the model knows (a loader's loop over discovered modules);
	// noDyn turns their use off while served() is asked without them.
	dynRegs []*python.Node
	noDyn   bool
	// templates are registration calls inside helpers that call sites
	// expanded.
	templates map[*python.Node]bool
	// siteMemo and calleeMemo hold call sites per function and the
	// functions a callee expression resolves to (without a binding).
	siteMemo   map[siteKey][]CallSite
	calleeMemo map[*python.Node][]*python.Node
	// resolvedMemo holds the function each call names (resolvedCall),
	// namedMemo the call sites of each function by name (namedSites).
	resolvedMemo map[*python.Node]*python.Node
	namedMemo    map[string]map[*python.Node][]CallSite
	// modelling is true while the model is built: parameters evaluate to
	// what their call sites agree on for routes, objects and auth; rules
	// run after, on the values as written.
	modelling bool
	// nest and nestCut count resolver nesting across resolvers and the
	// chains its bound cut (guard.go).
	nest, nestCut int
	// loaderAttrs: where a loader sets each attribute on an object it is
	// handed (loaderattr.go), built on first use.
	loaderAttrs map[string]string
	// helperMemo holds what each call of a rule-computing helper returns;
	// inHelper is set while one runs (helpers are not nested).
	helperMemo map[helperKey]Value
	inHelper   bool
	// paramMemo holds what each parameter's call sites agree on.
	paramMemo map[paramKey]Value
	// exactHooks are the framework's before_request hooks by blueprint.
	exactHooks map[string][]*Hook
	// configRead marks settings modules and classes already read.
	configRead map[*python.Node]bool
	// allowMemo holds the allow-list entries of hook conditions
	// (gatecond.go).
	allowMemo map[*python.Node][]string
}

// ConfigEntry is one assignment of a Flask config key.
type ConfigEntry struct {
	Module *Module
	Value  *python.Node
	// Stmt is the assignment (or call) that sets it.
	Stmt *python.Node
	// File is set (and Value nil) when the value comes from a JSON or TOML
	// file loaded with config.from_file.
	File *FileValue
}

// Build models the files; files must be parsed already.
func Build(files []*python.File) *Project {
	return BuildWith(files, nil)
}

// BuildWith is Build with a reader for the non-Python files apps load
// (paths relative to the analysed root); nil reads none.
func BuildWith(files []*python.File, readFile func(rel string) ([]byte, error)) *Project {
	p := &Project{Mode: "static", byName: map[string]*Module{}, byFile: map[*python.File]*Module{},
		Config: map[string][]ConfigEntry{}, objects: map[objKey]*Object{},
		funcMemo: map[*python.Node]*funcInfo{}, resolvingParams: map[*python.Node]bool{},
		argMemo: map[argKey]*Object{}, bodyMemo: map[*python.Node]*funcInfo{}, cbMemo: map[string][]*python.Node{},
		declOf: map[*python.Node]*Decl{}, readFile: readFile, configRead: map[*python.Node]bool{}}
	sorted := append([]*python.File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, f := range sorted {
		p.Files++
		p.Lines += f.Lines()
		m := newModule(f)
		p.Modules = append(p.Modules, m)
		p.byName[m.Name] = m
		p.byFile[f] = m
	}
	p.modelling = true
	defer func() { p.modelling = false }()
	p.guarded("binding script imports", p.bindScriptImports)
	for _, m := range p.Modules {
		p.guardedFile("reading the configuration", m.File, func() { p.collectConfig(m) })
	}
	p.guarded("collecting apps and blueprints", p.collectObjects)
	p.guarded("collecting routes", p.collectRoutes)
	p.guarded("collecting hooks", p.collectHooks)
	p.guarded("resolving authentication", p.resolveAuth)
	p.nestWarning()
	return p
}

// bindScriptImports points the absolute imports of every module at its
// own tree first, as Python does with the project directory on sys.path:
// the root of a module is the directory above its outermost package
// ("import resources" in step_4/run.py is step_4/resources.py, "from app
// import db" in proj/app/models.py is proj/app). Several projects in one
// folder thus keep their imports apart.
func (p *Project) bindScriptImports() {
	prefixes := map[string]bool{}
	for _, m := range p.Modules {
		for n := m.Name; n != ""; {
			prefixes[n] = true
			i := strings.LastIndexByte(n, '.')
			if i < 0 {
				break
			}
			n = n[:i]
		}
	}
	for _, m := range p.Modules {
		root := p.rootOf(m)
		if root == "" {
			continue
		}
		for i, s := range m.Stars {
			if first, _, _ := strings.Cut(s, "."); !strings.HasPrefix(s, root+".") && prefixes[root+"."+first] {
				m.Stars[i] = root + "." + s
			}
		}
		for local, imp := range m.Imports {
			if imp.Module == "" || strings.HasPrefix(imp.Module, root+".") {
				continue
			}
			first, _, _ := strings.Cut(imp.Module, ".")
			if !prefixes[root+"."+first] {
				continue
			}
			imp.Module = root + "." + imp.Module
			m.Imports[local] = imp
		}
	}
}

// RootOf is rootOf for rules: the tree (import root) a module belongs to.
func (p *Project) RootOf(m *Module) string { return p.rootOf(m) }

// rootOf is the dotted directory a module's absolute imports start from:
// the directory above its outermost package ("" for the analysed root).
func (p *Project) rootOf(m *Module) string {
	if m == nil {
		return ""
	}
	if r, ok := p.roots[m]; ok {
		return r
	}
	r := p.rootOfUncached(m)
	if p.roots == nil {
		p.roots = map[*Module]string{}
	}
	p.roots[m] = r
	return r
}

func (p *Project) rootOfUncached(m *Module) string {
	parts := strings.Split(m.Name, ".")
	i := len(parts) - 1
	if m.IsPackage {
		i = len(parts)
	}
	for i > 0 {
		if pkg := p.byName[strings.Join(parts[:i], ".")]; pkg != nil && pkg.IsPackage {
			i--
			continue
		}
		break
	}
	// A directory without __init__.py inside a regular package is a
	// namespace portion of that package (resources/log under
	// resources/__init__.py imports as resources.log), not the root of a
	// project of its own: the root is above the outermost regular package
	// that encloses the module. Directories with no enclosing package stay
	// roots (several scripts' folders side by side).
	// A directory whose name is no identifier (jobs/ftp-poller) cannot be
	// imported as a portion: it is a tree of its own.
	for k := 1; k < i; k++ {
		if pkg := p.byName[strings.Join(parts[:k], ".")]; pkg != nil && pkg.IsPackage {
			for _, d := range parts[k:i] {
				if !identifier(d) {
					return strings.Join(parts[:i], ".")
				}
			}
			return strings.Join(parts[:k-1], ".")
		}
	}
	return strings.Join(parts[:i], ".")
}

// identifier: s is a Python identifier (ASCII letters, digits, _).
func identifier(s string) bool {
	for i, c := range s {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// ReadFile reads a non-Python project file (a Procfile, a Dockerfile) by
// its path relative to the analysed root; it fails when the project was
// built without a reader.
func (p *Project) ReadFile(rel string) ([]byte, error) {
	if p.readFile == nil {
		return nil, fmt.Errorf("read %s: no project reader", rel)
	}
	return p.readFile(rel)
}
