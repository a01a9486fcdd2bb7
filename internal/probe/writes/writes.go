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

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// Rules the write phase reports.
const (
	RuleBOLAWrite      = "authz.bola-write"
	RuleMassAssignment = "authz.mass-assignment"
)

// Checks is the write phase; register it last: it runs after every read.
func Checks() []probe.Check {
	return []probe.Check{{
		ID: "authz.writes", Scope: probe.PerScan, Rules: []string{RuleBOLAWrite, RuleMassAssignment, RuleBFLA, RuleAnonymousWrite}, Run: run,
		Doc: "(--allow-writes) creates objects with one identity, updates and deletes them as another (read back), tries privileged fields on create, admin writes as a non-admin, deletes what it created",
	}}
}

// privileged are fields a client must never set on its own objects.
var privileged = map[string]any{
	"is_admin": true, "admin": true, "role": "admin", "roles": []any{"admin"}, "permissions": []any{"admin"},
	"verified": true, "is_verified": true, "approved": true, "balance": int64(1000000), "credits": int64(1000000),
}

// reserved: endpoints the write phase leaves alone: lifecycle flows
// (their own checks drive them) and the identities' login requests.
func reserved(p *probe.Pass) func(*inventory.Endpoint) bool {
	logins := map[string]bool{}
	for _, id := range p.Identities() {
		if id.Login == nil {
			continue
		}
		u, err := p.Session().Resolve(id.Login.URL)
		if err != nil {
			continue
		}
		if pu, err := url.Parse(u); err == nil {
			m := strings.ToUpper(id.Login.Method)
			if m == "" {
				m = http.MethodPost
			}
			logins[m+" "+pu.Path] = true
		}
	}
	return func(ep *inventory.Endpoint) bool {
		return logins[ep.Key()] || probe.Reserved(ep, p.Settings().Flows)
	}
}

// principals are the owner and the other identity: the first two that are
// not the privileged reference.
func principals(ctx context.Context, p *probe.Pass) (owner, other *identity.Identity) {
	for _, id := range p.Identities() {
		if id.Admin() {
			continue
		}
		if _, err := id.Creds(ctx, p.Session()); err != nil {
			continue
		}
		switch {
		case owner == nil:
			owner = id
		case other == nil:
			other = id
		}
	}
	return owner, other
}

// adminOf is the first identity with role admin that can authenticate.
func adminOf(ctx context.Context, p *probe.Pass) *identity.Identity {
	for _, id := range p.Identities() {
		if !id.Admin() {
			continue
		}
		if _, err := id.Creds(ctx, p.Session()); err == nil {
			return id
		}
	}
	return nil
}

// object is one object the phase created.
type object struct {
	t   *Target
	id  string
	url string // the item URL
	by  *identity.Identity
}

func run(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	pl := NewPlan(p.Inventory(), p.Settings().Bodies, reserved(p))
	for _, s := range pl.Skipped {
		p.Note("writes: skipped " + s)
	}
	owner, other := principals(ctx, p)
	if owner == nil || len(pl.Targets) == 0 {
		return
	}
	var created []*object
	defer func() { cleanup(context.WithoutCancel(ctx), p, created) }()
	admin := adminOf(ctx, p)
	for _, t := range pl.Targets {
		if AdminOnly(p.Settings().Policy, t.Create, owner.Name) {
			if admin == nil {
				p.Note(fmt.Sprintf("writes: skipped %s: an admin function, and no identity has role: admin", t.Create.Key()))
				continue
			}
			if t.Body == nil {
				t.Body = sampleBody(ctx, p, t, admin)
			}
			if t.Body != nil {
				bfla(ctx, p, t, admin, owner, &created)
			}
			continue
		}
		if t.Body == nil {
			if t.Body = sampleBody(ctx, p, t, owner); t.Body == nil {
				p.Note(fmt.Sprintf("writes: skipped %s: no request body known (spec requestBody, config bodies:, or an object in the owner's GET of the collection)", t.Create.Key()))
				continue
			}
		}
		plain, st := create(ctx, p, t, owner, t.Body)
		if plain == nil {
			if st != 0 {
				p.Note(fmt.Sprintf("writes: %s answered %d to its owner's body (from %s): check the body", t.Create.Key(), st, t.From))
			}
			continue
		}
		created = append(created, plain)
		before, ok := read(ctx, p, plain, owner)
		if !ok {
			p.Note(fmt.Sprintf("writes: %s created an object (%s) its owner cannot read back: ownership not tested", t.Create.Key(), plain.id))
			continue
		}
		spare := massAssignment(ctx, p, t, owner, before, &created)
		massAssignmentUpdate(ctx, p, t, plain, owner, before)
		anonymousWrites(ctx, p, t, plain, spare, owner)
		if other == nil {
			continue
		}
		bolaUpdate(ctx, p, t, plain, owner, other, before)
		bolaDelete(ctx, p, t, plain, owner, other)
	}
}

// create posts body as id and returns the object (nil when the answer
// is not 2xx with an id) and the status.
func create(ctx context.Context, p *probe.Pass, t *Target, id *identity.Identity, body map[string]any) (*object, int) {
	creds, err := id.Creds(ctx, p.Session())
	if err != nil {
		return nil, 0
	}
	o := p.Send(ctx, t.Create, jsonRequest(http.MethodPost, p.URL(t.Create), body), creds, nil)
	st := o.Sample.Status
	if st/100 != 2 {
		return nil, st
	}
	oid := objectID(o.Sample.Body, o.Sample.Header.Get("Location"))
	if oid == "" {
		p.Note(fmt.Sprintf("writes: %s answered %d without an id of the new object", t.Create.Key(), st))
		return nil, st
	}
	return &object{t: t, id: oid, url: strings.TrimRight(p.URL(t.Create), "/") + "/" + url.PathEscape(oid), by: id}, st
}

// read GETs the object as id: its JSON fields when 2xx.
func read(ctx context.Context, p *probe.Pass, obj *object, id *identity.Identity) (map[string]any, bool) {
	get := obj.t.Item[http.MethodGet]
	if get == nil {
		return nil, false
	}
	creds, err := id.Creds(ctx, p.Session())
	if err != nil {
		return nil, false
	}
	o := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: obj.url, Header: http.Header{}}, creds, nil)
	if o.Sample.Status/100 != 2 {
		return nil, false
	}
	return fields(o.Sample.Body), true
}

// gone: the owner's read of the object answers 404 or 410.
func gone(ctx context.Context, p *probe.Pass, obj *object) bool {
	get := obj.t.Item[http.MethodGet]
	creds, err := obj.by.Creds(ctx, p.Session())
	if get == nil || err != nil {
		return false
	}
	o := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: obj.url, Header: http.Header{}}, creds, nil)
	return o.Sample.Status == http.StatusNotFound || o.Sample.Status == http.StatusGone
}

func bolaUpdate(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner, other *identity.Identity, before map[string]any) {
	for _, m := range []string{http.MethodPut, http.MethodPatch} {
		ep := t.Item[m]
		if ep == nil {
			continue
		}
		body := t.Update
		if body == nil {
			body = t.Body
		}
		field := stringField(body)
		if field == "" {
			p.Note(fmt.Sprintf("writes: %s: no string field to mark; BOLA on update not tested", ep.Key()))
			continue
		}
		// Control: the owner's own update with this body takes effect.
		mine := clone(body)
		mine[field] = "authprobe-" + random()
		ownerCreds, err := owner.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		ctl := p.Send(ctx, ep, jsonRequest(m, obj.url, mine), ownerCreds, nil)
		if back, ok := read(ctx, p, obj, owner); ctl.Sample.Status/100 != 2 || !ok || fmt.Sprint(back[field]) != mine[field] {
			p.Note(fmt.Sprintf("writes: %s answered %d to the owner's own update (body from the %s): BOLA on update not tested", ep.Key(), ctl.Sample.Status, t.From))
			continue
		}
		before = clone(before)
		before[field] = mine[field]
		canary := "authprobe-" + random()
		changed := clone(body)
		changed[field] = canary
		creds, err := other.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		o := p.Send(ctx, ep, jsonRequest(m, obj.url, changed), creds, nil)
		after, ok := read(ctx, p, obj, owner)
		if !ok || fmt.Sprint(after[field]) != canary || fmt.Sprint(before[field]) == canary {
			continue
		}
		f := catalog.New(RuleBOLAWrite)
		f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
		f.Identity = other.Name
		f.Confidence = finding.Confirmed
		f.Message = fmt.Sprintf("%s changed %s's object %s: its %q read back as %q", other.Name, owner.Name, obj.id, field, canary)
		f.Evidence = evidence(p, o, fmt.Sprintf("%s read the object back with %s=%q", owner.Name, field, canary),
			fmt.Sprintf("the object was created by %s; before the request %s was %q", owner.Name, field, fmt.Sprint(before[field])))
		p.Report(f)
		return
	}
}

func bolaDelete(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner, other *identity.Identity) {
	ep := t.Item[http.MethodDelete]
	if ep == nil || t.Item[http.MethodGet] == nil {
		return
	}
	creds, err := other.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	o := p.Send(ctx, ep, &httpx.Request{Method: http.MethodDelete, URL: obj.url, Header: http.Header{}}, creds, nil)
	if !gone(ctx, p, obj) {
		return
	}
	f := catalog.New(RuleBOLAWrite)
	f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
	f.Identity = other.Name
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("%s deleted %s's object %s: %s's read now answers not found", other.Name, owner.Name, obj.id, owner.Name)
	f.Evidence = evidence(p, o, "the owner's read of the object answers 404 after the other identity's DELETE",
		"the owner read the object before the request")
	p.Report(f)
}

// massAssignment creates an object with privileged and read-only fields
// added and reads it back: a field stored with the forged value, which the
// plain object does not have, is proven.
func massAssignment(ctx context.Context, p *probe.Pass, t *Target, owner *identity.Identity, plain map[string]any, created *[]*object) *object {
	extra := forgedFields(t, t.Body)
	body := clone(t.Body)
	for k, v := range extra {
		body[k] = v
	}
	obj, _ := create(ctx, p, t, owner, body)
	if obj == nil {
		return nil
	}
	*created = append(*created, obj)
	back, ok := read(ctx, p, obj, owner)
	if !ok {
		return obj
	}
	if taken := takenFields(extra, back, plain); len(taken) > 0 {
		reportMass(p, t.Create, owner, taken, obj.id)
	}
	return obj
}

// massAssignmentUpdate sends the owner's own update with privileged and
// read-only fields added and reads the object back.
func massAssignmentUpdate(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner *identity.Identity, plain map[string]any) {
	for _, m := range []string{http.MethodPut, http.MethodPatch} {
		ep := t.Item[m]
		if ep == nil {
			continue
		}
		body := t.Update
		if body == nil {
			body = t.Body
		}
		extra := forgedFields(t, body)
		sent := clone(body)
		for k, v := range extra {
			sent[k] = v
		}
		creds, err := owner.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		o := p.Send(ctx, ep, jsonRequest(m, obj.url, sent), creds, nil)
		if o.Sample.Status/100 != 2 {
			continue
		}
		back, ok := read(ctx, p, obj, owner)
		if !ok {
			continue
		}
		if taken := takenFields(extra, back, plain); len(taken) > 0 {
			reportMass(p, ep, owner, taken, obj.id)
		}
		return
	}
}

// forgedFields are the privileged and read-only fields body lacks.
func forgedFields(t *Target, body map[string]any) map[string]any {
	extra := map[string]any{}
	for k, v := range privileged {
		extra[k] = v
	}
	for k, v := range t.ReadOnly {
		extra[k] = v
	}
	for k := range body {
		delete(extra, k)
	}
	return extra
}

// takenFields: forged fields that read back with the value sent, which
// the plain object did not have.
func takenFields(extra, back, plain map[string]any) []string {
	var taken []string
	for k, v := range extra {
		if same(back[k], v) && !same(plain[k], v) {
			taken = append(taken, k)
		}
	}
	sort.Strings(taken)
	return taken
}

func reportMass(p *probe.Pass, ep *inventory.Endpoint, owner *identity.Identity, taken []string, id string) {
	f := catalog.New(RuleMassAssignment)
	f.Endpoint = &finding.Endpoint{Method: ep.Method, Path: ep.Path}
	f.Identity = owner.Name
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("%s stored fields a client must not set: %s (read back from object %s)", ep.Key(), strings.Join(taken, ", "), id)
	f.Evidence = &finding.Evidence{Proof: "read back: " + strings.Join(taken, ", ") + " took the values sent",
		Control: "the object without those fields did not have those values", Request: ep.Key()}
	p.Report(f)
}

// cleanup deletes every object created, as its owner; DELETE last.
func cleanup(ctx context.Context, p *probe.Pass, objs []*object) {
	for _, obj := range objs {
		ep := obj.t.Item[http.MethodDelete]
		if ep == nil {
			p.Note(fmt.Sprintf("writes: cleanup: %s %s left in place (no DELETE endpoint)", obj.t.Create.Path, obj.id))
			continue
		}
		creds, err := obj.by.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		o := p.Send(ctx, ep, &httpx.Request{Method: http.MethodDelete, URL: obj.url, Header: http.Header{}}, creds, nil)
		switch st := o.Sample.Status; {
		case st/100 == 2 || st == http.StatusNotFound || st == http.StatusGone:
			p.Note(fmt.Sprintf("writes: cleanup: deleted %s/%s (%d)", obj.t.Create.Path, obj.id, st))
		default:
			p.Note(fmt.Sprintf("writes: cleanup: DELETE %s/%s answered %d: left in place", obj.t.Create.Path, obj.id, st))
		}
	}
}

func evidence(p *probe.Pass, o *probe.Outcome, proof, control string) *finding.Evidence {
	r := p.Redactor()
	ev := &finding.Evidence{Proof: proof, Control: control, Status: o.Sample.Status}
	if o.Request != nil {
		ev.Curl = r.Curl(o.Request)
		ev.Request = o.Request.Method + " " + r.String(o.Request.URL)
	}
	return ev
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
	if len(m) == 1 {
		for _, v := range m {
			if inner, ok := v.(map[string]any); ok {
				return inner
			}
		}
	}
	return m
}

// objectID reads the new object's id from the answer or its Location.
func objectID(body []byte, location string) string {
	if m := fields(body); m != nil {
		for _, k := range []string{"id", "_id", "uuid"} {
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

func stringField(body map[string]any) string {
	for _, k := range []string{"title", "name", "description", "body", "text", "content", "note"} {
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
// privileged fields (the mass-assignment check adds those on purpose).
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
	o := p.Send(ctx, list, nil, creds, nil)
	if o.Sample.Status/100 != 2 {
		return nil
	}
	obj := firstObject(o.Sample.Body)
	if obj == nil {
		return nil
	}
	body := map[string]any{}
	for k, v := range obj {
		l := strings.ToLower(k)
		if _, priv := privileged[l]; priv || l == "id" || l == "_id" || l == "uuid" ||
			strings.HasPrefix(l, "owner") || strings.HasPrefix(l, "user") || strings.HasSuffix(l, "_at") ||
			strings.HasPrefix(l, "created") || strings.HasPrefix(l, "updated") {
			continue
		}
		if _, ok := v.(bool); ok {
			continue // flags are the server's to set more often than not
		}
		body[k] = v
	}
	if len(body) == 0 {
		return nil
	}
	t.From = fromGET
	return body
}

// firstObject finds the first object of a list answer: a JSON array, or an
// object with one array of objects in it.
func firstObject(data []byte) map[string]any {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil
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
		return pick(t)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if a, ok := t[k].([]any); ok {
				if m := pick(a); m != nil {
					return m
				}
			}
		}
	}
	return nil
}
