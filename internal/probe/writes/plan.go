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
// A nested collection (/articles/{slug}/comments) has a Parent: an object
// of the parent's is created first and its id fills the path.
type Target struct {
	Create *inventory.Endpoint
	Body   map[string]any
	// From says where the body comes from: config, spec example, schema.
	From     string
	ReadOnly map[string]any
	Item     map[string]*inventory.Endpoint // by method
	// Update is the body for PUT/PATCH when the spec gives one.
	Update map[string]any
	// Parent is the collection whose item this one hangs under, and Rest
	// the path after the parent's item ("/comments").
	Parent *Target
	Rest   string
	// Undo is a DELETE on the create's own path (an action such as
	// /articles/{slug}/favorite): the object is the path itself.
	Undo *inventory.Endpoint
	// Param is the item path's parameter ("slug"): the new object's id
	// is read from the field of that name first.
	Param string
	// Form: the handler reads a form (request.form), not JSON.
	Form bool
	// Named: the create is on the item's own path (Flask-RESTful's
	// POST /items/<name>): the client names the new object, the path
	// filled with a fresh name is the object, and its Item endpoints
	// are that path's own.
	Named bool
	// Files are the uploads its handler reads (field → kind of file):
	// the create is sent as multipart/form-data with harmless files.
	Files map[string]string

	at string // the create URL of this run (parents' ids filled in)
	// envelope is the key to wrap a flat body in when the API refuses it
	// ("article" for a collection listed under "articles").
	envelope string
	// rpc are the item writes paired by the resource they name
	// (/update-price/{cafe_id}), by "METHOD /path": sent on their own
	// path with the object's id in Param. The value is the resource a
	// write paired by guess names (with the API's one create that names
	// none), to be confirmed on the object made; "" for a create naming
	// the same resource.
	rpc map[string]string
}

// itemPath is the path of the target's items ("/articles/{slug}"), "" when
// it has none.
func (t *Target) itemPath() string {
	for _, ep := range t.Item {
		return ep.Path
	}
	return ""
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

// NewPlan builds the plan from the inventory and config bodies: the
// collections first, then the collections nested under their items
// (parents before children).
func NewPlan(inv *inventory.Inventory, bodies map[string]any, reserved func(*inventory.Endpoint) bool) *Plan {
	pl := &Plan{}
	covered := map[string]bool{}
	add := func(ep *inventory.Endpoint, parent *Target, rest string) {
		body, from, ro := bodyFor(inv, bodies, ep.Key())
		if body == nil && parent == nil {
			from = fromGET // filled at run time, or the target is skipped
		}
		t := &Target{Create: ep, Body: body, From: from, ReadOnly: ro, Item: map[string]*inventory.Endpoint{}, Parent: parent, Rest: rest}
		if b, ok := inv.Bodies[ep.Key()]; ok && b.Form && (from == "schema" || from == "spec example") {
			t.Form, t.Files = true, b.Files
			t.From += ", a form"
			if len(b.Files) > 0 {
				t.From += " with harmless files"
			}
		}
		for j := range inv.Endpoints {
			it := &inv.Endpoints[j]
			switch {
			case itemOf(ep.Path, it.Path):
				t.Item[it.Method] = it
				covered[it.Key()] = true
				t.Param = strings.Trim(it.Path[strings.LastIndex(it.Path, "/")+1:], "{}")
			case it.Path == ep.Path && it.Method == http.MethodDelete:
				t.Undo = it
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
		if ep.Method == http.MethodPost && !hasPathParams(ep) && !reserved(ep) {
			add(ep, nil, "")
		}
	}
	// Nested collections, one level at a time.
	for level := 0; level < 3; level++ {
		n := len(pl.Targets)
		for i := range inv.Endpoints {
			ep := &inv.Endpoints[i]
			if ep.Method != http.MethodPost || covered[ep.Key()] || reserved(ep) {
				continue
			}
			for _, parent := range pl.Targets[:n] {
				if item := parent.itemPath(); item != "" {
					if rest, ok := underItem(ep.Path, item); ok && !strings.Contains(rest, "{") {
						add(ep, parent, "/"+rest)
						break
					}
				}
			}
		}
		if len(pl.Targets) == n {
			break
		}
	}
	addNamed(pl, inv, bodies, covered, reserved, add)
	pairRPC(pl, inv, covered, reserved)
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if safe(ep.Method) || covered[ep.Key()] || reserved(ep) {
			continue
		}
		pl.Skipped = append(pl.Skipped, ep.Key()+": no object of the write phase's own to write to (no POST on its collection; an account the scan registers may be its object: see the accounts notes)")
	}
	sort.Strings(pl.Skipped)
	return pl
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func safe(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func hasPathParams(ep *inventory.Endpoint) bool { return strings.Contains(ep.Path, "{") }

// Lines renders the plan for --dry-run, step by step as a run sends them;
// adminOnly says which creates are admin functions (tested as BFLA with
// admin, when there is one). A step a run cannot take is listed as not
// run, with why.
func (pl *Plan) Lines(owner, other, admin string, adminOnly func(*inventory.Endpoint) bool) []string {
	var out []string
	for _, t := range pl.Targets {
		out = append(out, t.lines(owner, other, admin, adminOnly(t.Create))...)
	}
	for _, s := range pl.Skipped {
		out = append(out, "skipped "+s)
	}
	return out
}

func (t *Target) lines(owner, other, admin string, adminOnly bool) []string {
	var out []string
	body, _ := json.Marshal(t.Body)
	from := t.From
	switch {
	case t.Body == nil && t.Parent != nil:
		from, body = "none known", []byte("(an object its collection's GET shows, else none; completed from validation answers)")
	case t.Body == nil:
		body = []byte("(modelled on an object the collection's GET shows, in the envelope its item GET answers with, at run time; with none, {} completed from the validation answers)")
	}
	under := ""
	if t.Parent != nil {
		under = " under the object of " + t.Parent.Create.Key() + " (created first, deleted after it)"
	}
	cleanup := func(who string) {
		switch {
		case t.Item[http.MethodDelete] != nil:
			out = append(out, fmt.Sprintf("%s as %s: cleanup of every object created (last, newest first)", t.Item[http.MethodDelete].Key(), who))
		case t.Undo != nil:
			out = append(out, fmt.Sprintf("%s as %s: undone in the cleanup (last, newest first)", t.Undo.Key(), who))
		default:
			out = append(out, "not run: cleanup of "+t.Create.Key()+"'s objects (no DELETE endpoint: left in place)")
		}
	}
	if adminOnly {
		if admin == "" {
			return append(out, "skipped "+t.Create.Key()+": an admin function, and no identity has role: admin")
		}
		out = append(out, fmt.Sprintf("%s as %s%s, body from %s: %s; then as %s (BFLA), read back as %s", t.Create.Key(), admin, under, from, body, owner, admin))
		if it := t.Item[http.MethodDelete]; it != nil {
			out = append(out, fmt.Sprintf("%s as %s on %s's object (BFLA), read back as %s", it.Key(), owner, admin, admin))
		}
		cleanup(admin)
		return out
	}
	out = append(out, fmt.Sprintf("%s as %s%s, body from %s: %s (a 400/422 naming fields is read and the body retried, up to twice)", t.Create.Key(), owner, under, from, body))
	for _, k := range sortedKeys(t.rpc) {
		if noun := t.rpc[k]; noun != "" {
			out = append(out, fmt.Sprintf("%s is paired with %s, the API's one create naming no resource, if its object is listed under %q (a parameterless GET's record holding what was sent): its {%s} is that object's id", k, t.Create.Key(), noun+"s", t.Param))
			continue
		}
		out = append(out, fmt.Sprintf("%s is paired with %s by the resource it names: its {%s} is the new object's id (from the answer, else from the record of a parameterless GET holding what was sent)", k, t.Create.Key(), t.Param))
	}
	if t.Item[http.MethodGet] == nil {
		for _, u := range t.updates() {
			out = append(out, fmt.Sprintf("%s as %s on its own object (not read back)", u.ep.Key(), owner))
		}
		out = append(out, "not run: mass assignment, anonymous writes and BOLA on "+t.Create.Key()+"'s objects (no GET to read an object back)")
		cleanup(owner)
		return out
	}
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
	}
	cleanup(owner)
	return out
}
