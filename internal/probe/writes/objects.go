package writes

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/oracle"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

func evidence(p *probe.Pass, o *probe.Outcome, proof, control string) *finding.Evidence {
	r := p.Redactor()
	ev := &finding.Evidence{Proof: proof, Control: control, Status: o.Sample.Status}
	if o.Request != nil {
		ev.Curl = r.Curl(o.Request)
		ev.Request = o.Request.Method + " " + r.URL(o.Request)
	}
	return ev
}

// request is a write of body to u as the target's endpoints take it: a
// form when its handler reads request.form, else JSON.
func (t *Target) request(method, u string, body map[string]any) *httpx.Request {
	if !t.Form && len(t.Files) == 0 {
		return jsonRequest(method, u, body)
	}
	data, ctype := reqbody.Encode(body, t.Form, t.Files)
	h := http.Header{}
	h.Set("Content-Type", ctype)
	return &httpx.Request{Method: method, URL: u, Header: h, Body: data}
}

func jsonRequest(method, u string, body map[string]any) *httpx.Request {
	data, _ := json.Marshal(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return &httpx.Request{Method: method, URL: u, Header: h, Body: data}
}

// fields are a JSON object's fields; an object wrapped in one key (a
// {"note": {...}} envelope) is unwrapped.
func fields(body []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	return reqbody.Payload(m)
}

// objectID reads the new object's id from the answer (the item path's
// parameter's field first: "slug" for /articles/{slug}) or its Location.
func objectID(body []byte, location, param string) string {
	if m := fields(body); m != nil {
		for _, k := range []string{param, "id", "_id", "uuid"} {
			if k == "" {
				continue
			}
			switch v := m[k].(type) {
			case string:
				if v != "" {
					return v
				}
			case float64:
				return fmt.Sprintf("%.0f", v)
			}
		}
	}
	if location != "" {
		if u, err := url.Parse(location); err == nil {
			segs := strings.Split(strings.TrimRight(u.Path, "/"), "/")
			return segs[len(segs)-1]
		}
	}
	return ""
}

// stringField is a string field of the body's payload to mark, "" when
// it has none: free text first, since a changed title or name can move
// the object (a slug made from it).
func stringField(body map[string]any) string {
	body = reqbody.Payload(body)
	for _, k := range []string{"description", "body", "text", "content", "note", "bio", "title", "name"} {
		if _, ok := body[k].(string); ok {
			return k
		}
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := body[k].(string); ok {
			return k
		}
	}
	return ""
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// same compares JSON values by their encoding.
func same(a, b any) bool {
	if a == nil || b == nil {
		return false
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func random() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// sampleBody models a create body on an object the owner's GET of the
// collection shows: its own fields, without ids, owners, timestamps and
// privileged fields (the mass-assignment check adds those on purpose). The
// envelope the API wraps an item in ({"article": {...}}, as its item GET
// answers) is kept around it.
func sampleBody(ctx context.Context, p *probe.Pass, t *Target, owner *identity.Identity) map[string]any {
	var list *inventory.Endpoint
	for i := range p.Inventory().Endpoints {
		ep := &p.Inventory().Endpoints[i]
		if ep.Method == http.MethodGet && ep.Path == t.Create.Path {
			list = ep
		}
	}
	if list == nil {
		return nil
	}
	creds, err := owner.Creds(ctx, p.Session())
	if err != nil {
		return nil
	}
	o := p.Send(ctx, list, &httpx.Request{Method: http.MethodGet, URL: t.at, Header: http.Header{}}, creds, nil)
	if !oracle.Served(o.Sample) {
		return nil
	}
	obj, listKey := firstObject(o.Sample.Body)
	// Without an envelope seen, the collection's key in the singular is
	// the one to try should a flat body be refused.
	t.envelope = reqbody.Singular(listKey)
	if obj == nil {
		return nil
	}
	body := map[string]any{}
	for k, v := range obj {
		l := strings.ToLower(k)
		if _, priv := privileged[l]; priv || l == "id" || l == "_id" || l == "uuid" || l == strings.ToLower(t.Param) ||
			strings.HasPrefix(l, "owner") || strings.HasPrefix(l, "user") || strings.HasPrefix(l, "author") ||
			strings.HasSuffix(l, "_at") || strings.HasSuffix(l, "At") || strings.HasSuffix(l, "count") || strings.HasSuffix(l, "Count") ||
			strings.HasPrefix(l, "created") || strings.HasPrefix(l, "updated") {
			continue
		}
		if _, ok := v.(bool); ok {
			continue // flags are the server's to set more often than not
		}
		if _, ok := v.(map[string]any); ok {
			continue // nested objects (an author's profile) are the server's
		}
		body[k] = v
	}
	if len(body) == 0 {
		return nil
	}
	t.From = fromGET
	if env := itemEnvelope(ctx, p, t, obj, creds); env != "" {
		t.From += fmt.Sprintf(", in the {%q: …} envelope its item GET answers with", env)
		return map[string]any{env: body}
	}
	return body
}

// itemEnvelope reads the listed object back through the item GET and
// returns the one key its answer wraps the object in, "" when flat.
func itemEnvelope(ctx context.Context, p *probe.Pass, t *Target, obj map[string]any, creds identity.Creds) string {
	get := t.Item[http.MethodGet]
	if get == nil {
		return ""
	}
	id := ""
	for _, k := range []string{t.Param, "id", "_id", "uuid"} {
		if v, ok := obj[k]; ok && k != "" {
			id = fmt.Sprint(v)
			break
		}
	}
	if id == "" {
		return ""
	}
	u := strings.TrimRight(t.at, "/") + "/" + url.PathEscape(id)
	o := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}, creds, nil)
	if !oracle.Served(o.Sample) {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(o.Sample.Body, &m) != nil {
		return ""
	}
	return reqbody.Envelope(m)
}

// firstObject finds the first object of a list answer, a JSON array or an
// object with one array of objects in it, and that array's key.
func firstObject(data []byte) (map[string]any, string) {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil, ""
	}
	pick := func(a []any) map[string]any {
		for _, x := range a {
			if m, ok := x.(map[string]any); ok {
				return m
			}
		}
		return nil
	}
	switch t := v.(type) {
	case []any:
		return pick(t), ""
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		first := ""
		for _, k := range keys {
			if a, ok := t[k].([]any); ok {
				if m := pick(a); m != nil {
					return m, k
				}
				if first == "" {
					first = k
				}
			}
		}
		return nil, first
	}
	return nil, ""
}
