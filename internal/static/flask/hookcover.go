package flask

// Which hooks run before a route: as the framework reported them in exact
// mode, else by the app or blueprint the hook is registered on.

// covering lists the hooks that run before a route: as the framework
// reported them in exact mode, else as the static model places them.
func (p *Project) covering(r *Route) []*Hook {
	if p.exactHooks != nil {
		return p.exactCovering(r)
	}
	var out []*Hook
	for _, h := range p.Hooks {
		if p.hookCovers(h, r) {
			out = append(out, h)
		}
	}
	return out
}

// hookCovers reports whether a hook runs before a route.
func (p *Project) hookCovers(h *Hook, r *Route) bool {
	if h.AppWide {
		// Only the routes of the app (or apps) the hook is bound to: a
		// tree with several apps must not lend one app's gate to another.
		hr := p.appsOf(h.Object, 0)
		if len(hr) == 0 {
			return true
		}
		for a := range p.appsOf(r.Object, 0) {
			if hr[a] {
				return true
			}
		}
		return r.Object != nil && r.Object.Kind == "site"
	}
	for o, depth := r.Object, 0; o != nil && depth < 8; depth++ {
		if o == h.Object || o.Of != nil && o.Of == h.Object {
			return true
		}
		if o.Kind == "api" || o.Kind == "restx" {
			o = o.Parent
			continue
		}
		if (o.Kind != "blueprint" && o.Kind != "namespace") || len(o.Regs) == 0 {
			return false
		}
		o = o.Regs[0].Parent
	}
	return false
}

// appsOf returns the apps an object's routes are served by.
func (p *Project) appsOf(o *Object, depth int) map[*Object]bool {
	out := map[*Object]bool{}
	if o == nil || depth > 8 {
		return out
	}
	switch o.Kind {
	case "app":
		out[o] = true
	case "api", "restx":
		return p.appsOf(o.Parent, depth+1)
	case "blueprint", "namespace":
		for _, r := range o.Regs {
			for a := range p.appsOf(r.Parent, depth+1) {
				out[a] = true
			}
		}
	}
	return out
}

// hookAuth is what a hook gives every route it covers.
type hookAuth struct {
	decorated []Auth
	gate      Auth // Lines are set per route
}

func (p *Project) newHookAuth(h *Hook) *hookAuth {
	name := h.Def.ChildByField("name").Text()
	ha := &hookAuth{gate: Auth{Kind: kindOr(h.info.Kind()), Name: name, Via: "hook",
		File: h.Module.File.Path, Line: h.Def.Line, Node: h.Def}}
	for _, d := range h.decorators {
		if a, ok := p.classifyDecorator(p.ModuleOf(d), d, Binding{}); ok {
			a.Via = "hook"
			a.Name = name + " @" + a.Name
			ha.decorated = append(ha.decorated, a)
		}
	}
	return ha
}

// coveringMemo is covering, once per app or blueprint in static mode
// (which hooks run depends on the route's object only).
func (p *Project) coveringMemo(r *Route, memo map[*Object][]*Hook) []*Hook {
	if p.exactHooks != nil {
		return p.exactCovering(r)
	}
	hs, ok := memo[r.Object]
	if !ok {
		hs = p.covering(r)
		memo[r.Object] = hs
	}
	return hs
}
