package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Endpoint tables in configuration: frameworks built on Flask that read a
// config dict of endpoint definitions and turn each into add_url_rule
// calls themselves (Invenio's records UI and REST modules, its deposit
// module):
//
//	RECORDS_REST_ENDPOINTS = dict(
//	    recid=dict(list_route="/records/", item_route="/records/<pid_value>", ...),
//	)
//
// The framework's code is not in the tree, so the table is data: the
// config key, the fields of a definition that are routes, the methods the
// framework serves on each and where it mounts them. Each route field of
// a definition written in the project (a module-level dict literal or
// dict(...) call, and the literals a .update(...) adds) is one
// registration. Whether a route checks anything is decided by the
// framework from the definition's permission factories: the policy is
// unknown, never public nor proven authenticated.

type endpointTable struct {
	key       string
	framework string
	// prefix is where the framework mounts the routes (Invenio serves
	// its REST modules from the API app under /api).
	prefix string
	fields []tableField
}

type tableField struct {
	name    string
	methods []string
}

var endpointTables = []endpointTable{
	{key: "RECORDS_UI_ENDPOINTS", framework: "invenio-records-ui", fields: []tableField{{"route", []string{"GET"}}}},
	{key: "DEPOSIT_RECORDS_UI_ENDPOINTS", framework: "invenio-deposit", fields: []tableField{{"route", []string{"GET"}}}},
	{key: "RECORDS_REST_ENDPOINTS", framework: "invenio-records-rest", prefix: "/api", fields: []tableField{
		{"list_route", []string{"GET", "POST"}},
		{"item_route", []string{"GET", "PUT", "PATCH", "DELETE"}},
	}},
	{key: "DEPOSIT_REST_ENDPOINTS", framework: "invenio-deposit", prefix: "/api", fields: []tableField{
		{"list_route", []string{"GET", "POST"}},
		{"item_route", []string{"GET", "PUT", "PATCH", "DELETE"}},
		{"file_list_route", []string{"GET", "POST", "PUT"}},
		{"file_item_route", []string{"GET", "PUT", "DELETE"}},
	}},
}

// collectEndpointTables adds the routes of the endpoint tables the
// project's modules define.
func (p *Project) collectEndpointTables() {
	for _, t := range endpointTables {
		for _, m := range p.Modules {
			for _, def := range p.tableDefs(m, t.key) {
				p.tableRoutes(m, t, def)
			}
		}
	}
}

// tableDefs are the dict values a module gives key at its top level: the
// assignment and the dict literals .update(...) merges into it.
func (p *Project) tableDefs(m *Module, key string) []Value {
	var out []Value
	for _, st := range m.File.Root.NamedChildren() {
		if st.Kind != "expression_statement" {
			continue
		}
		for _, c := range st.NamedChildren() {
			switch c.Kind {
			case "assignment":
				if c.ChildByField("left").Text() == key {
					out = append(out, p.Eval(c.ChildByField("right")))
				}
			case "call":
				f := c.ChildByField("function")
				if f.Kind == "attribute" && f.ChildByField("object").Text() == key && f.ChildByField("attribute").Text() == "update" {
					if a := positional(c.ChildByField("arguments"), 0); a != nil && p.localDict(m, a) {
						out = append(out, p.Eval(a))
					}
				}
			}
		}
	}
	return out
}

// localDict reports whether a names a dict the project itself writes (a
// literal, or a name bound in the tree), not a library's table.
func (p *Project) localDict(m *Module, a *python.Node) bool {
	a = a.Unparen()
	switch a.Kind {
	case "dictionary", "call":
		return true
	case "identifier":
		if imp, ok := m.Imports[a.Text()]; ok {
			return p.Module(imp.Module) != nil
		}
		return len(m.Assigns[a.Text()]) > 0
	}
	return false
}

// tableRoutes adds the routes of one table value.
func (p *Project) tableRoutes(m *Module, t endpointTable, v Value) {
	if v.Kind != Dict {
		return
	}
	site := p.site(t.framework)
	site.Module = m
	for i, k := range v.Keys {
		entry := v.Items[i]
		if k.Kind != Str || entry.Kind != Dict {
			continue
		}
		for _, f := range t.fields {
			rv, ok := entry.Get(f.name)
			if !ok {
				continue
			}
			at := rv.Node
			if at == nil || at.File == nil {
				continue
			}
			p.declare(at)
			if rv.Kind != Str {
				why := "the " + f.name + " of " + t.key + "[\"" + k.S + "\"] (`" + short(at.Text()) + "`) is not a constant"
				if rv.Kind == Env {
					why += ": it is read from the environment variable " + rv.EnvName + " at run time"
				}
				p.unresolved(why)
				continue
			}
			r := Route{Handler: t.framework + " view (" + t.key + "[\"" + k.S + "\"]." + f.name + ")", File: at.File.Path, Line: at.Line}
			r.Auth = []Auth{{Kind: "custom", Name: t.key + "[\"" + k.S + "\"] permission factories, checked by " + t.framework,
				Via: "framework", File: at.File.Path, Line: at.Line}}
			p.addRoute(site, joinRule(t.prefix, rv.S), f.methods, strings.ReplaceAll(t.framework, "-", "_")+"."+k.S+"_"+strings.TrimSuffix(f.name, "_route"), r)
		}
	}
}
