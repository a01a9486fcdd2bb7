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
	extra := forgedFields(t, t.Body)
	owned := ownerFields(ctx, p, plain, owner, other)
	for k, v := range owned {
		if _, ok := t.Body[k]; !ok {
			extra[k] = v
		}
	}
	body := reqbody.WithFields(t.Body, extra)
	keep := map[string]any{}
	for k, v := range owned {
		if _, ok := extra[k]; ok {
			keep[k] = v
		}
	}
	obj, _ := createKeeping(ctx, p, t, owner, body, keep)
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
	f.Evidence = &finding.Evidence{Proof: "read back: " + strings.Join(taken, ", ") + " took the values sent",
		Control: "the object without those fields did not have those values", Request: ep.Key()}
	p.Report(f)
}
