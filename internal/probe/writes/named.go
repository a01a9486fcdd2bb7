package writes

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// addNamed adds the creates made on the item's own path, where the client
// names the new object (Flask-RESTful's POST /items/<name>, then GET, PUT
// and DELETE /items/<name>): a POST whose path ends in its only parameter
// and that the same path reads or deletes. The object is that path filled
// with a fresh name; no collection POST is needed.
func addNamed(pl *Plan, inv *inventory.Inventory, bodies map[string]any, covered map[string]bool, reserved func(*inventory.Endpoint) bool, add func(*inventory.Endpoint, *Target, string)) {
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method != http.MethodPost || covered[ep.Key()] || reserved(ep) {
			continue
		}
		param, ok := namedParam(ep.Path)
		if !ok || !ownItem(inv, ep.Path) {
			continue
		}
		add(ep, nil, "")
		t := pl.Targets[len(pl.Targets)-1]
		t.Named, t.Param, t.Undo = true, param, nil
		t.Item = map[string]*inventory.Endpoint{}
		for j := range inv.Endpoints {
			it := &inv.Endpoints[j]
			if it.Path == ep.Path && it.Method != http.MethodPost && !reserved(it) {
				t.Item[it.Method] = it
				covered[it.Key()] = true
			}
		}
		if t.Update == nil {
			for _, m := range []string{http.MethodPut, http.MethodPatch} {
				if it := t.Item[m]; it != nil && t.Update == nil {
					t.Update, _, _ = bodyFor(inv, bodies, it.Key())
				}
			}
		}
	}
}

// namedParam is the parameter a path ends in when it is the path's only
// one ("/items/{name}" → "name").
func namedParam(path string) (string, bool) {
	i := strings.LastIndex(path, "/")
	last := path[i+1:]
	if i <= 0 || !strings.HasPrefix(last, "{") || !strings.HasSuffix(last, "}") || strings.Contains(path[:i], "{") {
		return "", false
	}
	return strings.Trim(last, "{}"), true
}

// ownItem: the path is read (GET) or deleted (DELETE) on its own.
func ownItem(inv *inventory.Inventory, path string) bool {
	for j := range inv.Endpoints {
		it := &inv.Endpoints[j]
		if it.Path == path && (it.Method == http.MethodGet || it.Method == http.MethodDelete) {
			return true
		}
	}
	return false
}

// namedAt is where a named create sends this call: the collection's URL
// and a fresh name.
func namedAt(t *Target, name string) string {
	return strings.TrimRight(t.at, "/") + "/" + url.PathEscape(name)
}

// numbered: the named create's path takes a number (<int:trip_id>).
func (t *Target) numbered() bool {
	for _, q := range t.Create.Params {
		if q.In == "path" && q.Name == t.Param {
			return q.Type == "integer" || q.Type == "number"
		}
	}
	return false
}
