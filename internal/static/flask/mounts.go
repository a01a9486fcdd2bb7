package flask

import (
	"sort"
	"strings"
)

// Apps mounted under a prefix by a WSGI dispatcher:
//
//	app = DispatcherMiddleware(root_app, {"/v1": get_v1_app(), "/v2": get_v2_app()})
//
// serve each mounted app's routes under its key; the root app stays at /.
// The mapping may be a dict literal or a name bound to one in the same
// scope (entries popped later under a condition still count: the code
// can serve them).

// dispatchers are the WSGI dispatchers by qualified name: the argument
// index of the mapping of prefixes to apps.
var dispatchers = map[string]int{
	"werkzeug.middleware.dispatcher.DispatcherMiddleware": 1,
	"werkzeug.wsgi.DispatcherMiddleware":                  1,
	"werkzeug.DispatcherMiddleware":                       1,
}

// mountPrefixes are the prefixes o is mounted under by a dispatcher, nil
// when none mounts it.
func (p *Project) mountPrefixes(o *Object) []string {
	if p.mounts == nil {
		p.mounts = map[*Object][]string{}
		p.collectMounts()
	}
	return p.mounts[o]
}

func (p *Project) collectMounts() {
	for _, m := range p.Modules {
		for _, c := range m.File.OfKind("call") {
			if k, apps := p.mountCall(c); k != "" {
				for _, app := range apps {
					if !contains(p.mounts[app], k) {
						p.mounts[app] = append(p.mounts[app], k)
						sort.Strings(p.mounts[app])
					}
				}
				continue
			}
			idx, ok := dispatchers[m.Qualify(c.ChildByField("function").DottedName())]
			if !ok {
				continue
			}
			mapping := positional(c.ChildByField("arguments"), idx)
			if mapping == nil {
				mapping = keyword(c.ChildByField("arguments"), "mounts")
			}
			if mapping != nil && mapping.Unparen().Kind == "identifier" {
				mapping = p.nameRHS(m, mapping.Unparen(), mapping.Unparen().Text(), 0)
			}
			if mapping == nil || mapping.Unparen().Kind != "dictionary" {
				continue
			}
			for _, pair := range mapping.Unparen().NamedChildren() {
				if pair.Kind != "pair" {
					continue
				}
				k, ok := pair.ChildByField("key").StringValue()
				if !ok || !strings.HasPrefix(k, "/") || strings.HasSuffix(k, "/") {
					continue // werkzeug never matches a key ending in "/" below it
				}
				for _, app := range p.objectsAt(pair.ChildByField("value"), Binding{}, 0) {
					if app.Kind == "app" && !contains(p.mounts[app], k) {
						p.mounts[app] = append(p.mounts[app], k)
						sort.Strings(p.mounts[app])
					}
				}
			}
		}
	}
}
