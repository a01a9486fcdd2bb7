package flask

import (
	"sort"
	"strings"
)

// AppCandidates are where the static model places the project's apps,
// for exact mode to import: "path/mod.py:var" for an app bound at module
// level (made there or returned by a factory called there), and
// "path/mod.py:factory" for a top-level function that makes one. The
// apps that serve the most resolved routes come first; an app bound at
// module level before a factory of the same app.
func (p *Project) AppCandidates() []string {
	routes := map[any]int{}
	for _, r := range p.Routes {
		if o := rootApp(r.Object); o != nil {
			routes[o.Node]++
		}
	}
	type cand struct {
		name    string
		routes  int
		factory bool
	}
	seen := map[string]bool{}
	var out []cand
	for key, o := range p.objects {
		if o.Kind != "app" || key.mod == nil || key.mod.File == nil {
			continue
		}
		var name string
		factory := false
		switch {
		case key.fn == nil:
			if strings.ContainsAny(key.name, ".@") {
				continue
			}
			name = key.mod.File.Path + ":" + key.name
		case key.fn.Kind == "function_definition" && key.fn.Parent != nil &&
			key.fn.Parent.Ancestor("function_definition", "class_definition") == nil:
			id := key.fn.ChildByField("name")
			if id == nil {
				continue
			}
			name, factory = key.mod.File.Path+":"+id.Text(), true
		default:
			continue
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, cand{name, routes[o.Node], factory})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.routes != b.routes {
			return a.routes > b.routes
		}
		if a.factory != b.factory {
			return !a.factory
		}
		return a.name < b.name
	})
	var names []string
	for i, c := range out {
		if i == 6 {
			break
		}
		names = append(names, c.name)
	}
	return names
}

// rootApp is the app an object's routes end up on: an Api's or
// namespace's parent, a blueprint's first registration (bounded: a
// blueprint registered on itself ends the walk).
func rootApp(o *Object) *Object {
	for i := 0; o != nil && i < 8; i++ {
		if o.Kind == "app" {
			return o
		}
		switch {
		case o.Parent != nil:
			o = o.Parent
		case len(o.Regs) > 0:
			o = o.Regs[0].Parent
		default:
			return nil
		}
	}
	return nil
}
