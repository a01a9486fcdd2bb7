package engine

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
)

// named is an object a request names: the field or parameter, its value,
// and the collection it lives in (collections.go; "" when unknown).
type named struct{ name, value, in string }

// namedObjects lists what a state-changing request names as its object:
// the last path parameter (earlier ones are parents: a write under
// /users/{uid}/notes/{nid} changes the note), except for a POST whose
// parameter is followed by a collection (POST /users/{uid}/notes creates);
// query and JSON body fields that are ids of the thing the path names
// ("id", "pk", "uuid", or task_id on /deletetask; project_id on /tasks is a
// reference, not the object).
func namedObjects(ep *inventory.Endpoint, req *httpx.Request, eps []*inventory.Endpoint) []named {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil
	}
	var out []named
	if n, ok := pathObject(ep, u.Path, req.Method, eps); ok {
		out = append(out, n)
	}
	where := u.Path
	if ep != nil {
		where = ep.Path
	}
	// A field's stem is looked for past the base every route shares: api_id
	// on /api/v1/sites/ (batch-3 sites-apitoken; seen) is a field of the
	// site, not the id of an "api" the path names.
	path := strings.ToLower(pastBase(where, eps))
	for k, vs := range u.Query() {
		if len(vs) > 0 && namesObject(k, path) {
			out = append(out, named{k, vs[0], fieldCollection(k, where)})
		}
	}
	var body map[string]any
	if json.Unmarshal(req.Body, &body) == nil {
		if len(body) == 1 {
			for _, v := range body {
				if inner, ok := v.(map[string]any); ok {
					body = inner
				}
			}
		}
		for k, v := range body {
			if sv := idValue(v); sv != "" && namesObject(k, path) {
				out = append(out, named{k, sv, fieldCollection(k, where)})
			}
		}
	}
	return out
}

// pastBase is path without the static segments every route of eps begins
// with (/api/v1): the part that names what a route acts on. A base that is
// itself a route (/tasks beside /tasks/delete) names the collection and
// stays.
func pastBase(path string, eps []*inventory.Endpoint) string {
	if len(eps) < 2 {
		return path
	}
	var base []string
	routes := map[string]bool{}
	for _, e := range eps {
		if strings.Trim(e.Path, "/") == "" {
			continue // the home page is no resource
		}
		routes[strings.Trim(e.Path, "/")] = true
		segs := splitPath(e.Path)
		if base == nil {
			base = segs
		}
		n := 0
		for n < len(base) && n < len(segs) && base[n] == segs[n] && !isParam(segs[n]) {
			n++
		}
		base = base[:n]
	}
	for n := 1; n <= len(base); n++ {
		if routes[strings.Join(base[:n], "/")] {
			base = base[:n-1]
			break
		}
	}
	segs := splitPath(path)
	if len(base) == 0 || len(segs) <= len(base) {
		return path
	}
	for i, b := range base {
		if segs[i] != b {
			return path
		}
	}
	return "/" + strings.Join(segs[len(base):], "/")
}

// pathObject is the value of ep's last path parameter in the request path.
func pathObject(ep *inventory.Endpoint, path, method string, eps []*inventory.Endpoint) (named, bool) {
	if ep == nil {
		return named{}, false
	}
	tmpl := strings.Split(strings.Trim(ep.Path, "/"), "/")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < len(tmpl) {
		return named{}, false
	}
	segs = segs[len(segs)-len(tmpl):] // a base path before the template
	last := -1
	for i, t := range tmpl {
		if isParam(t) {
			last = i
		}
	}
	if last < 0 {
		return named{}, false
	}
	if method == http.MethodPost && last < len(tmpl)-1 && collection(ep.Path, tmpl[:last+2], eps) {
		return named{}, false
	}
	v, err := url.PathUnescape(segs[last])
	if err != nil {
		v = segs[last]
	}
	return named{strings.Trim(tmpl[last], "{}<>:"), v, collectionBefore(tmpl, last)}, true
}

// collection: the route has members under prefix ({uid}/notes/{nid} beside
// POST {uid}/notes): a POST on it creates one.
func collection(path string, prefix []string, eps []*inventory.Endpoint) bool {
	p := "/" + strings.Join(prefix, "/") + "/"
	for _, e := range eps {
		if e.Path == path || !strings.HasPrefix(strings.TrimLeft(e.Path, "/"), strings.TrimLeft(p, "/")) {
			continue
		}
		rest := strings.Split(strings.Trim(strings.TrimPrefix("/"+strings.TrimLeft(e.Path, "/"), p), "/"), "/")
		if len(rest) > 0 && isParam(rest[0]) {
			return true
		}
	}
	return false
}

func isParam(seg string) bool {
	return strings.HasPrefix(seg, "{") || strings.HasPrefix(seg, "<") || strings.HasPrefix(seg, ":")
}

// idLike: a field named as an id.
func idLike(k string) bool {
	l := strings.ReplaceAll(strings.ToLower(k), "-", "_") // task-id
	switch l {
	case "id", "_id", "pk", "uuid":
		return true
	}
	return strings.HasSuffix(l, "_id") || strings.HasSuffix(k, "Id") || strings.HasSuffix(l, "_pk") || strings.HasSuffix(l, "_uuid")
}

// namesObject: field k is the id of what path names: a bare id, or an id
// whose stem is in the path (task_id on /deletetask).
func namesObject(k, path string) bool {
	if !idLike(k) {
		return false
	}
	l := strings.ReplaceAll(strings.ToLower(k), "-", "_")
	switch l {
	case "id", "_id", "pk", "uuid":
		return true
	}
	stem := strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(l, "_id"), "id"), "_pk"), "_uuid"), "_")
	return len(stem) >= 3 && strings.Contains(path, stem)
}

// idValue is a JSON scalar as the request would name it ("" for others).
func idValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		if t == float64(int64(t)) {
			return fmt.Sprintf("%d", int64(t))
		}
		return fmt.Sprint(t)
	case bool, nil:
		return ""
	}
	return ""
}
