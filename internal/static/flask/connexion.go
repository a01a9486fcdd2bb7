package flask

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/static/python"
)

// collectConnexion adds the routes of connexion apps: app.add_api("spec.yaml")
// loads an OpenAPI file (from specification_dir) whose operations name
// their handlers by operationId ("pkg.module.function").
func (p *Project) collectConnexion() {
	for _, m := range p.Modules {
		for _, call := range m.File.OfKind("call") {
			fn := call.ChildByField("function")
			if fn == nil || fn.Kind != "attribute" || fn.ChildByField("attribute").Text() != "add_api" {
				continue
			}
			args := call.ChildByField("arguments")
			arg := positional(args, 0)
			if arg == nil {
				arg = keyword(args, "specification")
			}
			specs := p.specFiles(arg)
			if len(specs) == 0 {
				if p.isConnexionApp(m, fn.ChildByField("object")) {
					p.declare(call)
					p.unresolved("the OpenAPI file `" + short(arg.Text()) + "` given to add_api is not a constant path")
				}
				continue
			}
			// A spec merged from several files (a builder's add_spec
			// chain): each file's operations are the API's.
			ops := 0
			for _, spec := range specs {
				ops += p.connexionAPI(m, call, fn.ChildByField("object"), spec, len(specs) > 1)
			}
			if ops > 0 {
				delete(p.declOf, call) // counted by its operations
			}
		}
	}
}

func isSpecFile(s string) bool {
	for _, ext := range []string{".yaml", ".yml", ".json"} {
		if strings.HasSuffix(strings.ToLower(s), ext) {
			return true
		}
	}
	return false
}

// connexionAPI reads one OpenAPI file and adds a route per operation.
func (p *Project) connexionAPI(m *Module, call, recv *python.Node, specV Value, merged bool) (ops int) {
	p.declare(call)
	spec := specV.S
	dir := path.Dir(m.File.Path)
	if specV.Path {
		dir = "" // built from __file__: already a path from the root
	}
	resolverArg := keyword(call.ChildByField("arguments"), "resolver")
	// specification_dir= (and resolver=) of the connexion app that add_api
	// is called on.
	if rhs := p.nameRHS(m, recv, recv.Text(), 0); rhs != nil && rhs.Unparen().Kind == "call" && !specV.Path {
		cargs := rhs.Unparen().ChildByField("arguments")
		if v := p.Eval(keyword(cargs, "specification_dir")); v.Kind == Str {
			dir = path.Join(dir, v.S)
		}
		if resolverArg == nil {
			resolverArg = keyword(cargs, "resolver")
		}
	}
	rel := path.Clean(path.Join(dir, spec))
	if p.readFile == nil {
		p.unresolved("OpenAPI file " + rel + " not read")
		return
	}
	src, err := p.readFile(rel)
	if err != nil {
		p.unresolved("OpenAPI file " + rel + " not readable")
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		p.unresolved("OpenAPI file " + rel + " does not parse")
		return
	}
	root := doc.Content[0]
	base := ""
	if v := p.Eval(keyword(call.ChildByField("arguments"), "base_path")); v.Kind == Str {
		base = v.S
	} else if bp := yamlGet(root, "basePath"); bp != nil {
		base = bp.Value
	} else if servers := yamlGet(root, "servers"); servers != nil && len(servers.Content) > 0 {
		if u := yamlGet(servers.Content[0], "url"); u != nil {
			base = urlPath(u.Value)
		}
	}
	res := p.connexionResolver(resolverArg)
	schemes := securitySchemes(root)
	rootSec := yamlGet(root, "security")
	paths := yamlGet(root, "paths")
	if paths == nil {
		if !merged { // a merged part may hold only definitions
			p.unresolved("OpenAPI file " + rel + " has no paths")
		}
		return
	}
	p.curDecl.Resolved = true // the file itself; each operation is its own declaration
	for i := 0; i+1 < len(paths.Content); i += 2 {
		pathKey, item := paths.Content[i], paths.Content[i+1]
		ctrl := ""
		if c := yamlGet(item, "x-openapi-router-controller"); c != nil {
			ctrl = c.Value
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			verb := strings.ToLower(item.Content[j].Value)
			if !isRouteMethod(verb) {
				continue
			}
			ops++
			p.connexionOp(m, p.site(m.Name+":"+recv.Text()), rel, base, pathKey.Value, verb, item.Content[j], item.Content[j+1], ctrl, res, schemes, rootSec)
		}
	}
	return ops
}

func (p *Project) connexionOp(app *Module, site *Object, rel, base, pth, verb string, key, op *yaml.Node, ctrl string, res resolver,
	schemes map[string]string, rootSec *yaml.Node) {
	p.declareAt(rel, key.Line)
	if c := yamlGet(op, "x-openapi-router-controller"); c != nil {
		ctrl = c.Value
	}
	opID := ""
	if idNode := yamlGet(op, "operationId"); idNode != nil {
		opID = idNode.Value
		switch {
		case ctrl != "":
			opID = ctrl + "." + opID
		case res.kind == "relative":
			opID = res.module + "." + opID
		}
	} else if res.kind == "resty" {
		opID = restyOperationID(res, ctrl, pth, verb)
	} else if res.kind == "methodview" {
		// api.pets.search -> api.PetsView.search
		if mod, meth, ok := cutLast(restyOperationID(res, ctrl, pth, verb)); ok {
			if pkg, base, ok := cutLast(mod); ok {
				opID = pkg + "." + camelize(base) + "View." + meth
			}
		}
	}
	if opID == "" {
		if res.kind != "" {
			p.unresolved("operation has no operationId and the " + res.kind + " resolver is not modelled")
		} else {
			p.unresolved("operation has no operationId")
		}
		return
	}
	modName, fnName, ok := cutLast(opID)
	if !ok {
		p.unresolved("operationId " + opID + " names no module")
		return
	}
	// connexion imports the module from the app's directory first.
	module := func(name string) *Module {
		if dir, _, ok := cutLast(app.Name); ok && !app.IsPackage {
			if mm := p.byName[dir+"."+name]; mm != nil {
				return mm
			}
		}
		return p.Module(name)
	}
	var def *python.Node
	var dm *Module
	if mm := module(modName); mm != nil {
		dm, def = p.ResolveFunc(mm, fnName)
		if def == nil {
			dm, def = p.boundByName(mm, fnName) // setattr(sys.modules[__name__], name, fn)
		}
	}
	if def == nil { // Class.method
		if cm, cf, ok := cutLast(modName); ok {
			if mm := module(cm); mm != nil {
				if cref, cls := p.ResolveClass(mm, cf); cls != nil {
					if ref, d := classMember(p.classChain(cref, cls), fnName); d != nil && d.Kind == "function_definition" {
						dm, def = ref.mod, d
					}
				}
			}
		}
	}
	if def == nil {
		p.unresolved("operationId " + opID + ": function not found in the project")
		return
	}
	rule := strings.NewReplacer("{", "<", "}", ">").Replace(joinRule(base, pth))
	r := Route{Handler: def.ChildByField("name").Text(), File: dm.File.Path, Line: def.Line, Def: def,
		decorators: Decorators(def)}
	sec := yamlGet(op, "security")
	if sec == nil {
		sec = rootSec
	}
	r.Auth = specAuth(sec, schemes, rel, key.Line)
	r.DeclaredPublic = sec != nil && sec.Kind == yaml.SequenceNode && len(sec.Content) == 0
	p.addRoute(site, rule, []string{strings.ToUpper(verb)}, strings.ReplaceAll(opID, ".", "_"), r)
}

// specAuth turns a security requirement into the mechanisms it names;
// an empty requirement ({}) among the alternatives makes them optional.
func specAuth(sec *yaml.Node, schemes map[string]string, file string, line int) []Auth {
	if sec == nil || sec.Kind != yaml.SequenceNode {
		return nil
	}
	var out []Auth
	optional := false
	for _, req := range sec.Content {
		if len(req.Content) == 0 {
			optional = true
		}
		for i := 0; i+1 < len(req.Content); i += 2 {
			name := req.Content[i].Value
			out = append(out, Auth{Kind: kindOr(schemes[name]), Name: name, Via: "spec", File: file, Line: line})
		}
	}
	for i := range out {
		out[i].Optional = optional
	}
	return out
}

// securitySchemes maps scheme names to jwt, api-key or basic.
func securitySchemes(root *yaml.Node) map[string]string {
	out := map[string]string{}
	defs := yamlGet(root, "securityDefinitions")
	if c := yamlGet(root, "components"); c != nil && defs == nil {
		defs = yamlGet(c, "securitySchemes")
	}
	if defs == nil {
		return out
	}
	for i := 0; i+1 < len(defs.Content); i += 2 {
		s := defs.Content[i+1]
		typ, scheme := "", ""
		if t := yamlGet(s, "type"); t != nil {
			typ = t.Value
		}
		if t := yamlGet(s, "scheme"); t != nil {
			scheme = strings.ToLower(t.Value)
		}
		switch {
		case typ == "apiKey":
			out[defs.Content[i].Value] = "api-key"
		case typ == "http" && scheme == "basic", typ == "basic":
			out[defs.Content[i].Value] = "basic"
		case typ == "http" || typ == "oauth2" || typ == "openIdConnect":
			out[defs.Content[i].Value] = "jwt"
		}
	}
	return out
}

func yamlGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func cutLast(s string) (string, string, bool) {
	i := strings.LastIndexByte(s, '.')
	if i <= 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// urlPath is the path of a server URL ("http://h/api/v1" -> "/api/v1").
func urlPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			return u[j:]
		}
		return ""
	}
	return u
}

// isConnexionApp reports whether recv is bound to a connexion app
// (connexion.App, FlaskApp, AsyncApp).
func (p *Project) isConnexionApp(m *Module, recv *python.Node) bool {
	rhs := p.nameRHS(m, recv, recv.Text(), 0)
	if rhs == nil || rhs.Unparen().Kind != "call" {
		return false
	}
	return strings.HasPrefix(m.Qualify(rhs.Unparen().ChildByField("function").DottedName()), "connexion.")
}
