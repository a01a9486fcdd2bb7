package lifecycle

import (
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// passwordUpdates are the updates whose spec body carries a password
// field (PUT /api/user with {"user": {"password": ...}}): a password
// change where the path does not say so.
func passwordUpdates(inv *inventory.Inventory) []*inventory.Endpoint {
	var out []*inventory.Endpoint
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if probe.PasswordUpdate(inv, ep) && passwordBody(inv.Bodies[ep.Key()]) != nil {
			out = append(out, ep)
		}
	}
	return out
}

// passwordBody builds a password change body in the spec body's shape,
// with its password fields only (nothing else of the account changes): a
// new-password (or confirmation) field gets {new_password} and an old or current one
// {password}; a lone password field gets {new_password}, with a
// current_password sibling carrying {password}. nil when the body has no
// password field.
func passwordBody(b inventory.Body) map[string]any {
	m, ok := b.Value.(map[string]any)
	if !ok {
		return nil
	}
	var pw []string
	for _, path := range identity.Body(m).Paths() {
		if passwordField(path[strings.LastIndex(path, ".")+1:]) {
			pw = append(pw, path)
		}
	}
	if len(pw) == 0 {
		return nil
	}
	out := identity.Body{}
	hasNew := false
	for _, path := range pw {
		last := strings.ToLower(path[strings.LastIndex(path, ".")+1:])
		switch {
		case strings.Contains(last, "new") || strings.Contains(last, "confirm"):
			out, hasNew = out.With(path, "{new_password}"), true
		case strings.Contains(last, "old") || strings.Contains(last, "current"):
			out = out.With(path, "{password}")
		}
	}
	if hasNew {
		return out
	}
	path := pw[0]
	prefix := path[:strings.LastIndex(path, ".")+1]
	out = out.With(path, "{new_password}")
	if _, ok := out.Lookup(prefix + "current_password"); !ok {
		out = out.With(prefix+"current_password", "{password}")
	}
	return out
}
