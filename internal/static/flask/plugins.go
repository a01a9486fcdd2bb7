package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// pluginRoute is a route decorator of a framework built on Flask that
// marks a method, and where the framework mounts the method's rule.
// Prefix and Endpoint may hold {plugin}: the plugin's identifier, the
// package directly under a "plugins" directory, else the decorated
// method's own package.
type pluginRoute struct {
	// Decorator is the decorator's dotted name or its last components.
	Decorator string
	Prefix    string
	Endpoint  string
}

// pluginRoutes is the table of known plugin route decorators: data, not
// code paths; a framework is one more row.
var pluginRoutes = []pluginRoute{
	// OctoPrint: @octoprint.plugin.BlueprintPlugin.route("/x", methods=[...])
	// on a BlueprintPlugin's methods, served under /plugin/<identifier>.
	{Decorator: "BlueprintPlugin.route", Prefix: "/plugin/{plugin}", Endpoint: "plugin.{plugin}"},
}

// pluginDecorator returns the table row a decorator matches, or nil.
func pluginDecorator(d *python.Node) *pluginRoute {
	if d.Kind != "call" {
		return nil
	}
	name := d.ChildByField("function").DottedName()
	for i := range pluginRoutes {
		if name == pluginRoutes[i].Decorator || strings.HasSuffix(name, "."+pluginRoutes[i].Decorator) {
			return &pluginRoutes[i]
		}
	}
	return nil
}

// pluginID is the identifier a plugin framework gives the module's plugin.
func pluginID(m *Module) string {
	parts := strings.Split(m.Name, ".")
	for i := len(parts) - 2; i >= 0; i-- {
		if parts[i] == "plugins" {
			return parts[i+1]
		}
	}
	if !m.IsPackage && len(parts) > 1 {
		return parts[len(parts)-2]
	}
	return parts[len(parts)-1]
}

// pluginRouteOf adds the route a plugin decorator declares on def.
func (p *Project) pluginRouteOf(m *Module, def, d *python.Node, row *pluginRoute) {
	args := d.ChildByField("arguments")
	rule := p.evalRule(positional(args, 0))
	if rule.Kind != Str {
		rule = p.Eval(keyword(args, "rule"))
	}
	if rule.Kind != Str {
		p.unresolved("the rule `" + short(positional(args, 0).Text()) + "` is not a constant")
		return
	}
	id := pluginID(m)
	prefix := strings.ReplaceAll(row.Prefix, "{plugin}", id)
	ep := strings.ReplaceAll(row.Endpoint, "{plugin}", id)
	name := def.ChildByField("name").Text()
	if v := p.Eval(keyword(args, "endpoint")); v.Kind == Str {
		name = v.S
	}
	handler := def.ChildByField("name").Text()
	var cls *python.Node
	if c := def.Ancestor("class_definition"); c != nil {
		cls = c
		handler = c.ChildByField("name").Text() + "." + handler
	}
	var decs []*python.Node
	for _, o := range Decorators(def) {
		if o != d && pluginDecorator(o) == nil {
			decs = append(decs, o)
		}
	}
	r := Route{Handler: handler, File: m.File.Path, Line: def.Line, Def: def, Class: cls, Decl: d, decorators: decs}
	p.addRoute(p.site("plugin:"+id), joinRule(prefix, rule.S), p.methodsArg(args), ep+"."+name, r)
}

// appHook is a decorator marking a function a framework calls with the
// app: its parameter Param is the app of the project's tree.
type appHook struct {
	// Decorator is the qualified decorator, a call's callee ending in "()".
	Decorator string
	Param     string
}

// appHooks is the table of known ones.
var appHooks = []appHook{
	// pluggy (flaskbb): @impl def flaskbb_load_blueprints(app), with
	// impl = HookimplMarker("flaskbb"), called by the plugin manager.
	{Decorator: "pluggy.HookimplMarker()", Param: "app"},
}

// frameworkCalled reports whether a framework hook decorator marks fn,
// whose parameter param it calls with the app.
func (p *Project) frameworkCalled(m *Module, fn *python.Node, param string) bool {
	for _, d := range Decorators(fn) {
		if d.Kind == "call" {
			d = d.ChildByField("function")
		}
		q := p.qualifyDeep(m, d.DottedName(), 0)
		for _, h := range appHooks {
			if q == h.Decorator && param == h.Param {
				return true
			}
		}
	}
	return false
}

// qualifyDeep is Module.Qualify following a name imported from another
// project module to where it is bound there.
func (p *Project) qualifyDeep(m *Module, dotted string, depth int) string {
	first, rest, _ := strings.Cut(dotted, ".")
	if imp, ok := m.Imports[first]; ok && imp.Name != "" && depth < 6 {
		if mm := p.Module(imp.Module); mm != nil && mm != m {
			if rest != "" {
				return p.qualifyDeep(mm, imp.Name+"."+rest, depth+1)
			}
			return p.qualifyDeep(mm, imp.Name, depth+1)
		}
	}
	return m.Qualify(dotted)
}
