package writes

import (
	"context"
	"fmt"
	"net/http"
	"strings"

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
// parameter itself (cafe_id → cafe), else the segment before it. The
// parameter ends the path, or is followed by one action word
// (/objects/{object_id}/update, /products/{product_id}/label).
func itemResource(ep *inventory.Endpoint) (noun, param string) {
	segs := strings.Split(strings.Trim(ep.Path, "/"), "/")
	if len(segs) < 2 || strings.Count(ep.Path, "{") != 1 {
		return "", ""
	}
	at := len(segs) - 1
	if !strings.HasPrefix(segs[at], "{") && len(segs) >= 3 && strings.HasPrefix(segs[at-1], "{") {
		at-- // an action on the item
	}
	if !strings.HasPrefix(segs[at], "{") || at == 0 {
		return "", ""
	}
	param = strings.Trim(segs[at], "{}")
	l := strings.ToLower(param)
	for _, suf := range []string{"_id", "id", "_pk", "_uuid", "_slug"} {
		if n, ok := strings.CutSuffix(l, suf); ok && strings.Trim(n, "_") != "" {
			return strings.Trim(n, "_"), param
		}
	}
	return resource(segs[at-1]), param
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

// pairRPC gives the targets (nested ones too) the uncovered writes on one path
// parameter that name their resource: a create naming the same resource,
// else the API's one create that names none (/add) when no create names
// one.
func pairRPC(pl *Plan, inv *inventory.Inventory, covered map[string]bool, reserved func(*inventory.Endpoint) bool) {
	var plain []*Target
	byNoun := map[string]*Target{}
	for _, t := range pl.Targets {
		if t.Undo != nil {
			continue
		}
		// A nested create names its resource too (POST
		// /store/{store_id}/item beside DELETE /item/{item_id}); the
		// top-level targets come first and win a noun both name.
		n := createResource(t.Create)
		if n == "" {
			if t.Parent == nil {
				plain = append(plain, t)
			}
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

// Collection reports whether the target is a REST collection: an item
// endpoint under its create's path (/notes/{id}), not only RPC writes
// paired with it, which other checks may send on their own.
func (t *Target) Collection() bool {
	for _, ep := range t.Item {
		if _, rpc := t.rpc[ep.Key()]; !rpc {
			return true
		}
	}
	return false
}

// StandardItem is the target's item endpoint of method under its create's
// path (/notes/{id}), nil when there is none or it is an RPC write.
func (t *Target) StandardItem(method string) *inventory.Endpoint {
	ep := t.Item[method]
	if ep == nil {
		return nil
	}
	if _, rpc := t.rpc[ep.Key()]; rpc {
		return nil
	}
	return ep
}

// at is the object's URL on ep: the item URL, or an RPC write's own path
// with the object's id in its parameter.
func (o *object) at(p *probe.Pass, ep *inventory.Endpoint) string {
	if _, rpc := o.t.rpc[ep.Key()]; !rpc {
		return o.withQuery(o.url, ep)
	}
	e := *ep
	e.Params = nil
	for _, q := range ep.Params {
		if q.In != "path" {
			e.Params = append(e.Params, q)
		}
	}
	e.Params = append(e.Params, inventory.Param{Name: o.t.Param, In: "path", Type: "string", Example: o.id, Required: true})
	return o.withQuery(p.URL(&e), ep)
}

// ownUpdates sends the owner's updates of its own object when no check
// sends them plain (why: no item GET reads it back, or no other identity
// or no ownership to judge BOLA on): the write is exercised, and no
// finding rests on it.
func ownUpdates(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner *identity.Identity, why string) {
	creds, err := owner.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	for _, u := range t.updates() {
		body := u.body
		if field, next := markField(body); field != "" {
			body = reqbody.WithField(body, field, next())
		}
		o, sent := sendLearning(ctx, p, obj, u.ep, body, creds)
		o.Label = fmt.Sprintf("%s updates its own object %s (%s)", owner.Name, obj.id, why)
		if o.Sample.Status/100 == 2 {
			accept(p.Inventory(), u.ep, sent)
		} else {
			p.NotRun(fmt.Sprintf("writes: %s on %s's own object %s answered %d (%s)", u.ep.Key(), owner.Name, obj.id, o.Sample.Status, why))
		}
	}
}
