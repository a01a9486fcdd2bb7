package accounts

import (
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// candidates lists the registration endpoints to try: POST endpoints of
// the inventory whose last literal segment is a registration word, in
// hint order, then the common paths.
func candidates(inv *inventory.Inventory, logins map[string]bool) []string {
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
	for _, p := range common {
		if !seen[p] && !logins[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// named: the inventory has POST path and its last segment says it
// registers (register, signup, join; not a plain collection).
func named(inv *inventory.Inventory, path string) bool {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch norm(segs[len(segs)-1]) {
	case "register", "registration", "signup", "join":
	default:
		return false
	}
	for _, ep := range inv.Endpoints {
		if ep.Method == http.MethodPost && ep.Path == path {
			return true
		}
	}
	return false
}
