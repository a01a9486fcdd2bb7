package lifecycle

import (
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// PlanLines describe, without sending anything, the state-changing steps
// the lifecycle checks would take with --allow-writes (--dry-run).
func PlanLines(inv *inventory.Inventory, f probe.Flows, ids []*identity.Identity) []string {
	var throwaway, any string
	for _, id := range ids {
		if id.Login == nil {
			continue
		}
		if any == "" {
			any = id.Name
		}
		if id.Throwaway && throwaway == "" {
			throwaway = id.Name
		}
	}
	find := func(role string) string {
		if r := configured(f, role); r != nil {
			return methodOr(r.Method, http.MethodPost) + " " + pathOf(r.URL) + " (config flows:)"
		}
		for _, ep := range inv.Endpoints {
			if h := f.Hints[ep.Key()]; h == role {
				return ep.Key() + " (from the code)"
			}
		}
		for _, ep := range inv.Endpoints {
			if f.Hints[ep.Key()] == "" && probe.RoleOf(ep.Path) == role {
				return ep.Key()
			}
		}
		if role == probe.RolePasswordChange {
			// As the checks find it: an update whose spec body has a
			// password field.
			if eps := passwordUpdates(inv); len(eps) > 0 {
				return eps[0].Key() + " (its spec body has a password field)"
			}
		}
		if role == probe.RoleLogout {
			var logins []string
			for _, id := range ids {
				if id.Login != nil {
					logins = append(logins, pathOf(id.Login.URL))
				}
			}
			if eps := probe.LogoutsAtLogin(inv, logins); len(eps) > 0 {
				return eps[0].Key() + " (DELETE on the login's own path)"
			}
		}
		if role == probe.RoleResetRequest {
			if rq, _ := pairOf(inv, f); rq != nil {
				return rq.Key() + " (with " + rq.Path + "'s PUT or PATCH as the confirmation)"
			}
		}
		return ""
	}
	var out []string
	who := throwaway
	if who == "" {
		who = any
	}
	if ep := find(probe.RoleLogout); ep != "" && who != "" {
		out = append(out, fmt.Sprintf("%s with a token of a fresh login of %s, then that token again", ep, who))
	}
	if ep := find(probe.RoleRefresh); ep != "" && any != "" {
		out = append(out, fmt.Sprintf("%s with a fresh refresh token, then with an access token", ep))
	}
	changes := func(ep, what string) {
		if ep == "" {
			return
		}
		if throwaway == "" {
			out = append(out, fmt.Sprintf("skipped %s: no identity marked throwaway: true to %s", ep, what))
			return
		}
		out = append(out, fmt.Sprintf("%s on throwaway %s: %s; its password is put back", ep, throwaway, what))
	}
	changes(find(probe.RolePasswordChange), "change the password (with and without the current one)")
	changes(find(probe.RoleResetRequest), "ask for a reset, spend a token the answer carries twice")
	if ep := find(probe.RoleRegister); ep != "" {
		out = append(out, "skipped "+ep+": registration is never sent")
	}
	return out
}
