package ratelimit

import (
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// basicField stands for the password of a login that takes HTTP Basic
// credentials (Flask-HTTPAuth's POST /api/tokens, FastAPI's HTTPBasic): it
// travels in the Authorization header, not in a body field.
const basicField = "Authorization: Basic (password)"

// basicUser stands for the username of such a login.
const basicUser = "Authorization: Basic (username)"

// takesBasic: the spec's security for ep names an HTTP Basic scheme, or
// the code shows the route reads Basic credentials.
func takesBasic(inv *inventory.Inventory, ep *inventory.Endpoint) bool {
	for _, k := range ep.Expects {
		if k == "basic" {
			return true
		}
	}
	if inv == nil {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			if s, ok := inv.Schemes[name]; ok && s.Type == "basic" {
				return true
			}
		}
	}
	return false
}

// basicLogin is a login found in the spec or source that takes HTTP Basic
// credentials and no body (FastAPI's HTTPBasic POST /login): the series
// puts the made-up username and the wrong password in the header.
func basicLogin(ep *inventory.Endpoint) *identity.Login {
	return &identity.Login{Method: ep.Method, URL: ep.Path,
		Header: map[string]string{"Authorization": identity.BasicHeader("authprobe-user", "authprobe-pw")}}
}
