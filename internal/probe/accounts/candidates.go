package accounts

import (
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// The registration endpoints Find tries, and what confirms one.

// candidate is a registration endpoint to try; probe marks one that only
// the inventory has (no registration word in its path, no known body
// taking a password): its refusal must ask for a user and a password.
type candidate struct {
	path  string
	probe bool
}

// maxProbes bounds the inventory's other POST endpoints tried.
const maxProbes = 8

// candidates lists the registration endpoints to try: POST endpoints of
// the inventory whose last literal segment is a registration word, in
// hint order, then those whose known body takes a user and a password,
// then the common paths, then (as probes) the inventory's other POSTs
// without path parameters.
func candidates(inv *inventory.Inventory, logins map[string]bool, bodyOf func(string) map[string]any, flows probe.Flows) []candidate {
	var out []candidate
	seen := map[string]bool{}
	add := func(path string, probe bool) {
		if !seen[path] && !logins[path] {
			seen[path] = true
			out = append(out, candidate{path: path, probe: probe})
		}
	}
	for _, h := range hints {
		for _, ep := range inv.Endpoints {
			segs := strings.Split(strings.Trim(ep.Path, "/"), "/")
			if ep.Method != http.MethodPost || strings.Contains(ep.Path, "{") || norm(segs[len(segs)-1]) != norm(h) {
				continue
			}
			add(ep.Path, false)
		}
	}
	// Any other POST whose handler, spec or config body takes a user and
	// a password sets a credential: a registration whatever its path is
	// called.
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method == http.MethodPost && !strings.Contains(ep.Path, "{") && !logsIn(ep, flows) && takesPassword(inv, ep.Path, bodyOf) {
			add(ep.Path, false)
		}
	}
	for _, p := range common {
		add(p, false)
	}
	probes := 0
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if probes == maxProbes {
			break
		}
		if ep.Method == http.MethodPost && !strings.Contains(ep.Path, "{") && !seen[ep.Path] && !logins[ep.Path] && !logsIn(ep, flows) {
			add(ep.Path, true)
			probes++
		}
	}
	return out
}

// logsIn: the code shows the endpoint logs in or drives another
// lifecycle flow (flows.Hints: a login checks a password, which a
// registration does not), or, when the code says nothing of it, its path
// names a login (probe.LoginPath: a login takes a user and a password too,
// and refuses an empty body alike; the words keep it from being taken for
// a registration when no configured identity logs in there) or another
// lifecycle flow (logout, refresh, password change or reset), which the
// lifecycle checks alone drive.
func logsIn(ep *inventory.Endpoint, flows probe.Flows) bool {
	if role := flows.Hints[ep.Key()]; role != "" {
		return role != probe.RoleRegister
	}
	if role := probe.RoleOf(ep.Path); role != "" && role != probe.RoleRegister {
		return true // a logout, refresh, password change or reset: never sent an empty body here
	}
	return probe.LoginPath(ep.Path)
}

// asksCredentials: a refusal names a password and a user field (a key,
// or a word of its message: "username and password required").
func asksCredentials(body []byte) bool {
	pw, user := false, false
	for k, f := range asked(body) {
		switch n := norm(k); {
		case f == fillPassword:
			pw = true
		case n == "username" || n == "email" || n == "login" || n == "name":
			user = true
		}
	}
	return pw && user
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

// hints are path words of registration endpoints; candidates are tried in
// this order, each confirmed by a refusal of an empty body.
var hints = []string{"register", "registration", "signup", "sign-up", "sign_up", "join", "users", "user", "accounts", "account"}

// common are registration paths tried when neither spec nor source names
// one.
var common = []string{"/register", "/signup", "/api/register", "/api/signup", "/auth/register", "/auth/signup",
	"/api/auth/register", "/api/auth/signup", "/api/v1/register", "/api/v1/auth/register", "/api/v1/users/register",
	"/users/register", "/api/users/register", "/user/register", "/users", "/api/users", "/api/v1/users"}
