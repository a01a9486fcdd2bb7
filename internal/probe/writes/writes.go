package writes

import (
	"context"
	"fmt"
	"github.com/authprobe/authprobe/internal/oracle"
	"net/http"
	"net/url"
	"strings"

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
		ID: "authz.writes", Scope: probe.PerScan, Rules: []string{RuleBOLAWrite, RuleBOLARead, RuleMassAssignment, RuleBFLA, RuleAnonymousWrite, ruleMissing}, Run: run,
		Doc: "(--allow-writes) creates objects with one identity, reads, updates and deletes them as another (read back), tries privileged fields on create, admin writes as a non-admin, deletes what it created",
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
			// DELETE on the login's own path ends the session it made:
			// a logout, which the lifecycle checks send on a fresh login.
			logins[http.MethodDelete+" "+pu.Path] = true
		}
	}
	return func(ep *inventory.Endpoint) bool {
		return logins[ep.Key()] || probe.Reserved(ep, p.Settings().Flows) || probe.PasswordUpdate(p.Inventory(), ep)
	}
}

// object is one object the phase created.
type object struct {
	t   *Target
	id  string
	url string // the item URL
	by  *identity.Identity
	// mark is a field and the value the create sent in it, when the id
	// came from the request, not the answer: the object is the record of
	// the item GET's answer that holds it (an entry of a list by owner).
	mark *field
	// answer is the create's answer body.
	answer []byte
	// listed is the key of the list a parameterless GET showed the
	// object in ("cafes"), when found there.
	listed string
	// query are the query parameters validation answers asked for, by
	// the endpoint ("DELETE /api/keys" → key=<the object's id>).
	query map[string]url.Values
}

func run(ctx context.Context, p *probe.Pass) {
	if !p.AllowWrites() {
		return
	}
	pl := NewPlan(p.Inventory(), p.Settings().Bodies, reserved(p))
	pl.FromSource(p.Settings().SourceBodies)
	for _, s := range pl.Skipped {
		p.NotRun("writes: " + s)
	}
	owner, other := principals(ctx, p)
	if owner == nil || len(pl.Targets) == 0 {
		return
	}
	var created []*object
	defer func() { cleanup(context.WithoutCancel(ctx), p, created) }()
	admin := adminOf(ctx, p)
	made := map[*Target]*object{} // the owner's plain object of each target
	for _, t := range pl.Targets {
		if !locate(p, t, made) {
			continue
		}
		if AdminOnly(p.Settings().Policy, t.Create, owner.Name) {
			if admin == nil {
				p.NotRun(fmt.Sprintf("writes: %s: an admin function, and no identity has role: admin", t.Create.Key()))
				itemsNotRun(p, t)
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
			t.Body = sampleBody(ctx, p, t, owner)
		}
		first := t.Body
		if t.Body == nil && t.Parent == nil {
			// Nothing says what the create takes: an empty JSON object,
			// completed from what the validation answers name (with an
			// item GET or without: a create that cannot be read back is
			// still exercised, and listed as not run when refused).
			first, t.From = map[string]any{}, "an empty body (no spec, config, code or object said more), completed from validation answers"
		}
		plain, st := create(ctx, p, t, owner, first)
		if st/100 == 2 {
			if t.Body != nil {
				accept(p.Inventory(), t.Create, t.Body)
			} else {
				accept(p.Inventory(), t.Create, first)
			}
		}
		if plain == nil {
			switch {
			case st/100 == 5 && t.Body == nil && t.Parent == nil:
				p.NotRun(fmt.Sprintf("writes: %s and the checks on its objects: no request body known (spec requestBody, config bodies:, code, or an object in the owner's GET of the collection), and an empty one answered %d, a server error that names no field to add (the route may take no body at all and fail on its own)", t.Create.Key(), st))
			case st != 0 && t.Body == nil && t.Parent == nil:
				p.NotRun(fmt.Sprintf("writes: %s and the checks on its objects: no request body known (spec requestBody, config bodies:, code, or an object in the owner's GET of the collection), and an empty one answered %d", t.Create.Key(), st))
			case st/100 == 2:
				p.NotRun(fmt.Sprintf("writes: the checks on %s's objects: it answered %d with no id of the new object, and no listing shows it", t.Create.Key(), st))
			case st != 0:
				p.NotRun(fmt.Sprintf("writes: the checks on %s's objects: it answered %d to its owner's body (from %s)", t.Create.Key(), st, t.From))
			}
			itemsNotRun(p, t)
			continue
		}
		if t.Body == nil {
			t.Body = first // the empty body was taken as it was
		}
		created = append(created, plain)
		made[t] = plain
		confirmRPC(p, t, plain)
		before, ok := read(ctx, p, plain, owner)
		if !ok {
			// The object is the scan's all the same: its owner's own
			// updates are exercised; only the checks comparing what a
			// read shows are not run.
			why := "no item GET: not read back"
			if t.Item[http.MethodGet] != nil {
				why = "its owner's item GET does not read it back"
			}
			ownUpdates(ctx, p, t, plain, owner, why)
			p.NotRun(fmt.Sprintf("writes: ownership checks on %s: it created an object (%s) its owner cannot read back", t.Create.Key(), plain.id))
			continue
		}
		if other != nil {
			bolaRead(ctx, p, plain, owner, other, before)
		}
		spare := massAssignment(ctx, p, t, owner, other, before, &created)
		massAssignmentUpdate(ctx, p, t, plain, owner, before)
		ownerReassign(ctx, p, t, owner, other, before, &created)
		anonymousWrites(ctx, p, t, plain, spare, owner)
		if other == nil {
			// No BOLA check sends the plain update: the owner does.
			ownUpdates(ctx, p, t, plain, owner, "no other identity: BOLA not judged")
			continue
		}
		why := owned(ctx, p, plain, owner, other)
		if why == "" {
			p.NotRun(fmt.Sprintf("writes: BOLA on updates and deletes of %s's objects not judged: nothing shows %s is %s's (no owner field names %s, %s reads it and lists it alike): a shared object, and a write by another identity breaks no ownership", t.Create.Key(), plain.id, owner.Name, owner.Name, other.Name))
			ownUpdates(ctx, p, t, plain, owner, "a shared object: BOLA not judged")
			continue
		}
		bolaUpdate(ctx, p, t, plain, owner, other, before, why)
		bolaDelete(ctx, p, t, plain, owner, other, why)
	}
}

// itemsNotRun lists the item writes of a target whose create made no
// object of its own: each is named, never dropped silently.
func itemsNotRun(p *probe.Pass, t *Target) {
	for _, m := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodPost} {
		if ep := t.Item[m]; ep != nil {
			p.NotRun(fmt.Sprintf("writes: %s: not run: %s made no object of the scan's own to write to", ep.Key(), t.Create.Key()))
		}
	}
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
	if !oracle.Served(o.Sample) {
		return nil, false
	}
	if obj.mark != nil {
		rec := holding(o.Sample.Body, obj.mark)
		return rec, rec != nil
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

// cleanup deletes every object created, as its owner, newest first
// (children before their parents); DELETE last.
func cleanup(ctx context.Context, p *probe.Pass, objs []*object) {
	for i := len(objs) - 1; i >= 0; i-- {
		obj := objs[i]
		ep := obj.t.Item[http.MethodDelete]
		if ep == nil {
			ep = obj.t.Undo
		}
		if ep == nil {
			p.Note(fmt.Sprintf("writes: cleanup: %s %s left in place (no DELETE endpoint)", obj.t.Create.Path, obj.id))
			continue
		}
		creds, err := obj.by.Creds(ctx, p.Session())
		if err != nil {
			continue
		}
		o, _ := sendLearning(ctx, p, obj, ep, nil, creds)
		u, _, _ := strings.Cut(obj.at(p, ep), "?") // a learnt ?key= may be a credential
		if st := o.Sample.Status; st/100 != 2 && st != http.StatusNotFound && st != http.StatusGone {
			if ob := undoByBody(ctx, p, obj, creds); ob != nil && ob.Sample.Status/100 == 2 {
				o, u = ob, obj.t.Undo.Key()+" naming "+obj.t.Param+"="+obj.id
			}
		}
		switch st := o.Sample.Status; {
		case st/100 == 2:
			p.Note(fmt.Sprintf("writes: cleanup: deleted %s (%d)", u, st))
		case st == http.StatusNotFound || st == http.StatusGone:
			p.Note(fmt.Sprintf("writes: cleanup: %s was already gone (%d)", u, st))
		default:
			p.Note(fmt.Sprintf("writes: cleanup: DELETE %s answered %d: left in place", u, st))
		}
	}
}
