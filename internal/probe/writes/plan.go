// Package writes is the write phase of a scan (--allow-writes): it runs
// after every read, creates objects with one identity from bodies the spec
// or the config gives, attacks them with another (BOLA on update and
// delete, proven by reading back), tries privileged and read-only fields
// on create (mass assignment, proven by reading back), and deletes what it
// created, DELETE last. The identities themselves are never changed.
package writes

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// Target is one collection the phase writes to: the POST that creates,
// and the item endpoints (GET, PUT, PATCH, DELETE on /collection/{id}).
type Target struct {
	Create *inventory.Endpoint
	Body   map[string]any
	// From says where the body comes from: config, spec example, schema.
	From     string
	ReadOnly map[string]any
	Item     map[string]*inventory.Endpoint // by method
	// Update is the body for PUT/PATCH when the spec gives one.
	Update map[string]any
}

// update is one update operation of a target's item and the body it sends.
type update struct {
	ep   *inventory.Endpoint
	body map[string]any
}

// updates lists the item's PUT and PATCH with their body: the spec's
// update body where it gives one, else the create body.
func (t *Target) updates() []update {
	body := t.Update
	if body == nil {
		body = t.Body
	}
	var out []update
	for _, m := range []string{http.MethodPut, http.MethodPatch} {
		if ep := t.Item[m]; ep != nil {
			out = append(out, update{ep: ep, body: body})
		}
	}
	return out
}

// fromGET: the body is modelled on an object the owner's GET of the
// collection shows.
const fromGET = "the owner's GET of the collection"

// Plan lists the targets of the write phase and the writes it skips,
// with why; it sends nothing (--dry-run prints it).
type Plan struct {
	Targets []*Target
	Skipped []string
}

// NewPlan builds the plan from the inventory and config bodies.
func NewPlan(inv *inventory.Inventory, bodies map[string]any, reserved func(*inventory.Endpoint) bool) *Plan {
	pl := &Plan{}
	covered := map[string]bool{}
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method != http.MethodPost || hasPathParams(ep) || reserved(ep) {
			continue
		}
		body, from, ro := bodyFor(inv, bodies, ep.Key())
		if body == nil {
			from = fromGET // filled at run time, or the target is skipped
		}
		t := &Target{Create: ep, Body: body, From: from, ReadOnly: ro, Item: map[string]*inventory.Endpoint{}}
		for j := range inv.Endpoints {
			it := &inv.Endpoints[j]
			if itemOf(ep.Path, it.Path) {
				t.Item[it.Method] = it
				covered[it.Key()] = true
			}
		}
		for _, m := range []string{http.MethodPut, http.MethodPatch} {
			if it := t.Item[m]; it != nil && t.Update == nil {
				t.Update, _, _ = bodyFor(inv, bodies, it.Key())
			}
		}
		covered[ep.Key()] = true
		pl.Targets = append(pl.Targets, t)
	}
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if safe(ep.Method) || covered[ep.Key()] || reserved(ep) {
			continue
		}
		pl.Skipped = append(pl.Skipped, ep.Key()+": no object of the scan's own to write to (no POST on its collection)")
	}
	sort.Strings(pl.Skipped)
	return pl
}

func safe(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func hasPathParams(ep *inventory.Endpoint) bool { return strings.Contains(ep.Path, "{") }

// itemOf: item is collection + "/{param}".
func itemOf(collection, item string) bool {
	rest, ok := strings.CutPrefix(item, strings.TrimRight(collection, "/")+"/")
	return ok && strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") && !strings.Contains(rest, "/")
}

// bodyFor: the config's body, else the spec's example or schema sample.
func bodyFor(inv *inventory.Inventory, bodies map[string]any, key string) (map[string]any, string, map[string]any) {
	var ro map[string]any
	if b, ok := inv.Bodies[key]; ok {
		ro = b.ReadOnly
	}
	if v, ok := bodies[key]; ok {
		if m, ok := v.(map[string]any); ok {
			return m, "config", ro
		}
	}
	if b, ok := inv.Bodies[key]; ok {
		if m, ok := b.Value.(map[string]any); ok {
			if b.Generated {
				return m, "schema", ro
			}
			return m, "spec example", ro
		}
	}
	return nil, "", ro
}

// Lines renders the plan for --dry-run; adminOnly says which creates are
// admin functions (tested as BFLA with admin, when there is one).
func (pl *Plan) Lines(owner, other, admin string, adminOnly func(*inventory.Endpoint) bool) []string {
	var out []string
	for _, t := range pl.Targets {
		body, _ := json.Marshal(t.Body)
		if t.Body == nil {
			body = []byte("(modelled on an object the collection's GET shows, at run time)")
		}
		if adminOnly(t.Create) {
			if admin == "" {
				out = append(out, "skipped "+t.Create.Key()+": an admin function, and no identity has role: admin")
				continue
			}
			out = append(out, fmt.Sprintf("%s as %s, body from %s: %s; then as %s (BFLA), read back as %s", t.Create.Key(), admin, t.From, body, owner, admin))
			if it := t.Item[http.MethodDelete]; it != nil {
				out = append(out, fmt.Sprintf("%s as %s on %s's object (BFLA), read back as %s", it.Key(), owner, admin, admin))
				out = append(out, fmt.Sprintf("%s as %s: cleanup of every object created (last)", it.Key(), admin))
			}
			continue
		}
		out = append(out, fmt.Sprintf("%s as %s, body from %s: %s", t.Create.Key(), owner, t.From, body))
		out = append(out, fmt.Sprintf("%s as %s with privileged and read-only fields added (mass assignment), read back", t.Create.Key(), owner))
		for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if it := t.Item[m]; it != nil {
				out = append(out, fmt.Sprintf("%s without credentials on %s's object, read back as %s", it.Key(), owner, owner))
			}
		}
		for _, m := range []string{http.MethodPut, http.MethodPatch} {
			if it := t.Item[m]; it != nil {
				out = append(out, fmt.Sprintf("%s as %s on its own object, then with privileged and read-only fields added (mass assignment), read back", it.Key(), owner))
				out = append(out, fmt.Sprintf("%s as %s on %s's object (BOLA), read back as %s", it.Key(), other, owner, owner))
			}
		}
		if it := t.Item[http.MethodDelete]; it != nil {
			out = append(out, fmt.Sprintf("%s as %s on %s's object (BOLA), read back as %s", it.Key(), other, owner, owner))
			out = append(out, fmt.Sprintf("%s as %s: cleanup of every object created (last)", it.Key(), owner))
		}
	}
	for _, s := range pl.Skipped {
		out = append(out, "skipped "+s)
	}
	return out
}
