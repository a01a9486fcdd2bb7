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
	gets := listings(p, t)
	sort.SliceStable(gets, func(i, j int) bool {
		return noun != "" && strings.Contains(strings.ToLower(gets[i].ep.Path), noun) && !strings.Contains(strings.ToLower(gets[j].ep.Path), noun)
	})
	for i, l := range gets {
		if i == maxListings {
			break
		}
		get := l.ep
		o := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: l.url, Header: http.Header{}}, creds, nil)
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

// listing is a GET that may list a new object, and its URL this run.
type listing struct {
	ep  *inventory.Endpoint
	url string
}

// listings are the GETs that may list the target's new object: the
// parameterless ones, and for a nested target the GETs on its parent's
// object (/store/{store_id}/items beside POST /store/{store_id}/item),
// with the parent's id of this run in their path.
func listings(p *probe.Pass, t *Target) []listing {
	var out []listing
	parentItem, parentURL := "", ""
	if t.Parent != nil && t.Rest != "" && strings.HasSuffix(t.at, t.Rest) {
		parentItem, parentURL = t.Parent.itemPath(), strings.TrimSuffix(t.at, t.Rest)
	}
	for i := range p.Inventory().Endpoints {
		ep := &p.Inventory().Endpoints[i]
		if _, changes := inventory.SideEffect(*ep); ep.Method != http.MethodGet || changes || requiredQuery(ep) {
			continue
		}
		if !strings.Contains(ep.Path, "{") {
			out = append(out, listing{ep, p.URL(ep)})
			continue
		}
		if parentItem == "" {
			continue
		}
		if rest, ok := underItem(ep.Path, parentItem); ok && rest != "" && !strings.Contains(rest, "{") {
			out = append(out, listing{ep, parentURL + "/" + rest})
		}
	}
	return out
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
