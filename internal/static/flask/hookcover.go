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
		if o == h.Object {
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
