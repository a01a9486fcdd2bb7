package accounts

import (
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// candidates lists the registration endpoints to try: POST endpoints of
// the inventory whose last literal segment is a registration word, in
// hint order, then those whose known body takes a password, then the
// common paths.
func candidates(inv *inventory.Inventory, logins map[string]bool, bodyOf func(string) map[string]any) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range hints {
		for _, ep := range inv.Endpoints {
			segs := strings.Split(strings.Trim(ep.Path, "/"), "/")
			if ep.Method != http.MethodPost || strings.Contains(ep.Path, "{") || norm(segs[len(segs)-1]) != norm(h) {
				continue
			}
			if !seen[ep.Path] && !logins[ep.Path] {
				seen[ep.Path] = true
				out = append(out, ep.Path)
			}
		}
	}
	// Any other POST whose handler, spec or config body takes a password
	// sets a credential: a registration whatever its path is called.
	for _, ep := range inv.Endpoints {
		if ep.Method != http.MethodPost || strings.Contains(ep.Path, "{") || seen[ep.Path] || logins[ep.Path] {
			continue
		}
		if takesPassword(inv, ep.Path, bodyOf) {
			seen[ep.Path] = true
			out = append(out, ep.Path)
		}
	}
	for _, p := range common {
		if !seen[p] && !logins[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// inInventory: the inventory has POST path (not a guessed common path).
func inInventory(inv *inventory.Inventory, path string) bool {
	for _, ep := range inv.Endpoints {
		if ep.Method == http.MethodPost && ep.Path == path {
			return true
		}
	}
	return false
}

// takesPassword: the inventory has POST path and the body its handler,
// spec or config names holds a user field and a password field: a
// request that sets a credential on a new user is a registration,
// whatever the path says (a password change or reset names no user).
func takesPassword(inv *inventory.Inventory, path string, bodyOf func(string) map[string]any) bool {
	if !inInventory(inv, path) || bodyOf == nil {
		return false
	}
	b := bodyOf(http.MethodPost + " " + path)
	if b == nil {
		return false
	}
	l := &identity.Login{JSON: identity.Body(b)}
	pw := passwordPath(l)
	return pw != "" && userPath(l, pw) != ""
}
