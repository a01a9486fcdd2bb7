package writes

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/authprobe/authprobe/internal/oracle"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// massAssignment creates an object with privileged and read-only fields
// added — and its owner fields pointing at the other identity — and reads
// it back: a field stored with the forged value, which the plain object
// does not have, is proven.
func massAssignment(ctx context.Context, p *probe.Pass, t *Target, owner, other *identity.Identity, plain map[string]any, created *[]*object) *object {
	observed := recordFields(plain, t.Body)
	owned := ownerFields(ctx, p, plain, owner, other)
	for k, v := range owned {
		if _, ok := t.Body[k]; !ok {
			observed[k] = v
		}
	}
	keep := map[string]any{}
	for k, v := range owned {
		if _, ok := observed[k]; ok {
			keep[k] = v
		}
	}
	extra := forgedFields(t, t.Body)
	for k, v := range observed {
		extra[k] = v
	}
	obj, _ := createKeeping(ctx, p, t, owner, reqbody.WithFields(t.Body, extra), keep)
	if obj == nil && len(observed) > 0 && len(observed) < len(extra) {
		// A strict store refuses the guessed fields it has no column for
		// (a 500 "no column named is_admin"): the fields the object's own
		// record shows, alone.
		extra = observed
		obj, _ = createKeeping(ctx, p, t, owner, reqbody.WithFields(t.Body, extra), keep)
	}
	if obj == nil {
		return nil
	}
	*created = append(*created, obj)
	back, ok := read(ctx, p, obj, owner)
	if !ok && other != nil {
		// Given away to the other identity: it may be the only reader now.
		back, ok = read(ctx, p, obj, other)
	}
	if !ok {
		return obj
	}
	if taken := takenFields(extra, back, plain); len(taken) > 0 {
		reportMass(p, t.Create, owner, taken, obj.id)
		for _, k := range taken {
			if _, planted := owned[k]; planted && other != nil {
				obj.by = other // its owner now: the one who can delete it
			}
		}
	}
	return obj
}

// massAssignmentUpdate sends the owner's own update with privileged and
// read-only fields added and reads the object back.
func massAssignmentUpdate(ctx context.Context, p *probe.Pass, t *Target, obj *object, owner *identity.Identity, plain map[string]any) {
	for _, u := range t.updates() {
		ep, body, m := u.ep, u.body, u.ep.Method
		extra := forgedFields(t, body)
		sent := reqbody.WithFields(body, extra)
		creds, err := owner.Creds(ctx, p.Session())
		if err != nil {
			return
		}
		o := p.Send(ctx, ep, t.request(m, obj.at(p, ep), sent), creds, nil)
		if !oracle.Served(o.Sample) {
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

// ownerFields are the plain object's owner fields (principal's owner-like
// names holding one of the owner's own values), each set to the other
// identity's value of the same kind: a client that can name another owner
// can plant objects on them.
func ownerFields(ctx context.Context, p *probe.Pass, plain map[string]any, owner, other *identity.Identity) map[string]any {
	out := map[string]any{}
	if other == nil || !other.Throwaway {
		// Planting an object on an identity changes it: throwaways only.
		return out
	}
	selves := principal.Selves(ctx, p.Env)
	mine, theirs := principal.Named(selves, owner.Name), principal.Named(selves, other.Name)
	if mine == nil || theirs == nil {
		return out
	}
	for _, o := range principal.Objects(mustJSON(plain)) {
		if !mine.Has(o.Owner) || strings.Contains(o.OwnerKey, ".") {
			continue
		}
		key := mine.Key(fmt.Sprint(o.Owner))
		for _, v := range theirs.Values() {
			if theirs.Key(v) == key {
				if _, isNum := o.Owner.(float64); isNum {
					if n, err := strconv.ParseFloat(v, 64); err == nil {
						out[o.OwnerKey] = n
						break
					}
					continue
				}
				out[o.OwnerKey] = v
				break
			}
		}
	}
	return out
}

func mustJSON(m map[string]any) []byte {
	b, _ := json.Marshal(m)
	return b
}

// recordFields are the fields the object's own record shows that the
// create's body does not send, off by default: flags switched on (false
// → true, 0 → 1). Identity
// fields, ids (owner ids are ownerFields' business) and passwords are
// never sent. What the API stores is read from its answer, not guessed
// from a word list.
func recordFields(rec, body map[string]any) map[string]any {
	sent := reqbody.Payload(body)
	out := map[string]any{}
	for k, v := range rec {
		n := principal.Norm(k)
		if _, ok := sent[k]; ok || principal.IsIdentityKey(k) || idField(k) || strings.Contains(n, "pass") {
			continue
		}
		switch t := v.(type) {
		case bool:
			if !t {
				out[k] = true
			}
		case float64:
			if t == 0 { // a flag stored as an integer (SQLite's booleans)
				out[k] = int64(1)
			}
		}
	}
	return out
}

// idField: a key naming an id (id, user_id, ownerId, uuid, pk), not one
// that merely ends in the letters ("is_paid").
func idField(k string) bool {
	l := strings.ToLower(k)
	switch l {
	case "id", "uuid", "guid", "pk":
		return true
	}
	return strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "-id") || strings.HasSuffix(l, "_uuid") ||
		len(k) > 2 && strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "ID")
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
	for k := range reqbody.Payload(body) {
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
	f.Fields = taken
	f.Evidence = &finding.Evidence{Proof: "read back: " + strings.Join(taken, ", ") + " took the values sent",
		Control: "the object without those fields did not have those values", Request: ep.Key()}
	p.Report(f)
}
