package writes

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// RPC-style writes name what they do in the path and the object in a
// parameter (/update-price/{cafe_id}, /del_item/{id}): no collection path
// ties them to the create that makes their objects (/add, /add_item).
// They are paired by the resource they name, and the object the create
// made fills their parameter.

// verbs are the words an RPC path starts with before the resource.
var verbs = map[string]bool{
	"add": true, "create": true, "new": true, "post": true, "insert": true, "make": true, "register": true,
	"del": true, "delete": true, "remove": true, "rm": true, "destroy": true, "drop": true,
	"update": true, "edit": true, "modify": true, "change": true, "set": true, "put": true, "patch": true,
	"get": true, "read": true, "fetch": true, "view": true, "report": true, "mark": true,
}

// resource is the noun a path segment names once its verb words are gone
// ("del_cart_item" → "cart_item", "add_item" → "item", "items" → "item",
// "update-price" → "price", "add" → ""), in the singular.
func resource(seg string) string {
	words := strings.FieldsFunc(strings.ToLower(seg), func(r rune) bool { return r == '_' || r == '-' })
	for len(words) > 0 && verbs[words[0]] {
		words = words[1:]
	}
	if len(words) > 0 && (words[0] == "to" || words[0] == "from") {
		return "" // add_to_cart/{user}: a relation, not the resource
	}
	n := strings.Join(words, "_")
	if one := reqbody.Singular(n); one != "" {
		return one
	}
	return n
}

// itemResource is the resource an RPC write's parameter names: the
// parameter itself (cafe_id → cafe), else the segment before it.
func itemResource(ep *inventory.Endpoint) (noun, param string) {
	segs := strings.Split(strings.Trim(ep.Path, "/"), "/")
	if len(segs) < 2 || strings.Count(ep.Path, "{") != 1 {
		return "", ""
	}
	last := segs[len(segs)-1]
	if !strings.HasPrefix(last, "{") {
		return "", ""
	}
	param = strings.Trim(last, "{}")
	l := strings.ToLower(param)
	for _, suf := range []string{"_id", "id", "_pk", "_uuid", "_slug"} {
		if n, ok := strings.CutSuffix(l, suf); ok && strings.Trim(n, "_") != "" {
			return strings.Trim(n, "_"), param
		}
	}
	return resource(segs[len(segs)-2]), param
}

// createResource is the resource a create names: its last literal segment
// without verbs ("" for /add).
func createResource(ep *inventory.Endpoint) string {
	segs := strings.Split(strings.Trim(ep.Path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if n := resource(segs[i]); n != "" || !verbs[strings.ToLower(segs[i])] {
			return n
		}
	}
	return ""
}

// pairRPC gives the top-level targets the uncovered writes on one path
// parameter that name their resource: a create naming the same resource,
// else the API's one create that names none (/add) when no create names
// one.
func pairRPC(pl *Plan, inv *inventory.Inventory, covered map[string]bool, reserved func(*inventory.Endpoint) bool) {
	var plain []*Target
	byNoun := map[string]*Target{}
	for _, t := range pl.Targets {
		if t.Parent != nil || t.Undo != nil {
			continue
		}
		n := createResource(t.Create)
		if n == "" {
			plain = append(plain, t)
		} else if byNoun[n] == nil {
			byNoun[n] = t
		}
	}
	pair := func(t *Target, ep *inventory.Endpoint, param, guess string) {
		if t.Item[ep.Method] != nil || t.Param != "" && t.Param != param {
			return
		}
		t.Item[ep.Method], t.Param = ep, param
		if t.rpc == nil {
			t.rpc = map[string]string{}
		}
		t.rpc[ep.Key()] = guess
		covered[ep.Key()] = true
	}
	type orphan struct {
		ep          *inventory.Endpoint
		noun, param string
	}
	var orphans []orphan
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if safe(ep.Method) || ep.Method == http.MethodPost && !strings.Contains(ep.Path, "{") || covered[ep.Key()] || reserved(ep) {
			continue
		}
		noun, param := itemResource(ep)
		if noun == "" {
			continue
		}
		if t := byNoun[noun]; t != nil {
			pair(t, ep, param, "")
			continue
		}
		orphans = append(orphans, orphan{ep, noun, param})
	}
	// The API's one create that names no resource (/add) takes the
	// orphans only when no create names one and they all name the same
	// resource on the same parameter; confirmed at run time (confirmRPC):
	// the object must be listed under that resource's name.
	if len(plain) != 1 || len(byNoun) != 0 || len(orphans) == 0 {
		return
	}
	for _, o := range orphans {
		if o.noun != orphans[0].noun || o.param != orphans[0].param {
			return
		}
	}
	for _, o := range orphans {
		pair(plain[0], o.ep, o.param, o.noun)
	}
}

// at is the object's URL on ep: the item URL, or an RPC write's own path
// with the object's id in its parameter.
func (o *object) at(p *probe.Pass, ep *inventory.Endpoint) string {
	if _, rpc := o.t.rpc[ep.Key()]; !rpc {
		return o.url
	}
	e := *ep
	e.Params = nil
	for _, q := range ep.Params {
		if q.In != "path" {
			e.Params = append(e.Params, q)
		}
	}
	e.Params = append(e.Params, inventory.Param{Name: o.t.Param, In: "path", Type: "string", Example: o.id, Required: true})
	return p.URL(&e)
}

// maxListings caps the parameterless GETs read to find a new object the
// create's answer gives no id of.
const maxListings = 3

// fromListing finds the object a create made without saying its id: the
// record holding the value it was sent in its most telling field, in the
// answer of a parameterless GET (one naming the resource first), whose id
// field (the item parameter, else id) is the object's.
func fromListing(ctx context.Context, p *probe.Pass, t *Target, id *identity.Identity, sent map[string]any) *object {
	m := markOf(reqbody.Payload(sent), t.Param)
	if t.Param == "" || m == nil {
		return nil
	}
	creds, err := id.Creds(ctx, p.Session())
	if err != nil {
		return nil
	}
	noun := createResource(t.Create)
	if noun == "" {
		noun, _ = itemResource(firstRPC(t))
	}
	var gets []*inventory.Endpoint
	for i := range p.Inventory().Endpoints {
		ep := &p.Inventory().Endpoints[i]
		if _, changes := inventory.SideEffect(*ep); ep.Method == http.MethodGet && !changes && !strings.Contains(ep.Path, "{") && !requiredQuery(ep) {
			gets = append(gets, ep)
		}
	}
	sort.SliceStable(gets, func(i, j int) bool {
		return noun != "" && strings.Contains(strings.ToLower(gets[i].Path), noun) && !strings.Contains(strings.ToLower(gets[j].Path), noun)
	})
	for i, get := range gets {
		if i == maxListings {
			break
		}
		o := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: p.URL(get), Header: http.Header{}}, creds, nil)
		rec, under := listedUnder(o.Sample.Body, m)
		if o.Sample.Status/100 != 2 || rec == nil {
			continue
		}
		for _, k := range []string{t.Param, "id"} {
			if v, ok := rec[k]; ok && v != nil && fmt.Sprint(v) != "" {
				key := fmt.Sprint(v)
				if f, isNum := v.(float64); isNum && f == float64(int64(f)) {
					key = fmt.Sprint(int64(f))
				}
				p.Note(fmt.Sprintf("writes: %s answered without an id: its object is %s %s, the record of %s holding the %s it was sent", t.Create.Key(), k, key, get.Key(), m.key))
				return &object{t: t, id: key, url: strings.TrimRight(t.at, "/") + "/" + key, by: id, mark: m, listed: under}
			}
		}
	}
	return nil
}

func firstRPC(t *Target) *inventory.Endpoint {
	for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodPost} {
		if ep := t.Item[m]; ep != nil {
			return ep
		}
	}
	return &inventory.Endpoint{}
}

func requiredQuery(ep *inventory.Endpoint) bool {
	for _, q := range ep.Params {
		if q.In == "query" && q.Required {
			return true
		}
	}
	return false
}

// ownUpdates sends the owner's updates of its own object when nothing can
// read an object back (no item GET): the write is exercised, and no
// finding rests on it.
func ownUpdates(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner *identity.Identity) {
	creds, err := owner.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	for _, u := range t.updates() {
		body := u.body
		if field, next := markField(body); field != "" {
			body = reqbody.WithField(body, field, next())
		}
		o, _ := sendLearning(ctx, p, t, u.ep, obj.at(p, u.ep), body, creds)
		o.Label = fmt.Sprintf("%s updates its own object %s (no item GET: not read back)", owner.Name, obj.id)
		if o.Sample.Status/100 != 2 {
			p.NotRun(fmt.Sprintf("writes: %s on %s's own object %s answered %d (no item GET to read it back)", u.ep.Key(), owner.Name, obj.id, o.Sample.Status))
		}
	}
}

// listedUnder finds the record of body whose field m.key holds m.val, in
// a list, and the key that list is under ("cafes" for {"cafes": [...]};
// "" for a bare list or a record elsewhere).
func listedUnder(body []byte, m *field) (map[string]any, string) {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil, ""
	}
	var find func(v any, key string, depth int) (map[string]any, string)
	find = func(v any, key string, depth int) (map[string]any, string) {
		if depth > 4 {
			return nil, ""
		}
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				if r, ok := x.(map[string]any); ok {
					if s, ok := r[m.key].(string); ok && s == m.val {
						return r, key
					}
				}
			}
		case map[string]any:
			if s, ok := t[m.key].(string); ok && s == m.val {
				return t, ""
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if r, under := find(t[k], k, depth+1); r != nil {
					return r, under
				}
			}
		}
		return nil, ""
	}
	return find(v, "", 0)
}

// confirmRPC keeps the RPC writes paired with the API's one create by
// guess only when the object made is listed under the resource they name
// ({"cafes": [...]} for /update-price/{cafe_id}); others are taken off the
// target and listed as not run: a write on another resource must never
// get the scan's object's id (a DELETE /remove-user/{user_id} with a
// cafe's id would delete a user).
func confirmRPC(p *probe.Pass, t *Target, obj *object) {
	for _, k := range sortedKeys(t.rpc) {
		noun := t.rpc[k]
		if noun == "" {
			continue
		}
		listed := obj.listed
		if one := reqbody.Singular(listed); one != "" {
			listed = one
		}
		if listed != "" && strings.EqualFold(listed, noun) {
			continue
		}
		for m, ep := range t.Item {
			if ep.Key() == k {
				delete(t.Item, m)
			}
		}
		delete(t.rpc, k)
		why := "its answer named the object's id"
		if obj.listed != "" {
			why = fmt.Sprintf("it is listed under %q", obj.listed)
		} else if obj.mark != nil {
			why = "its listing names no resource"
		}
		p.NotRun(fmt.Sprintf("writes: %s: not paired with %s after all: the object it made is not shown to be a %s (%s)", k, t.Create.Key(), noun, why))
	}
}
