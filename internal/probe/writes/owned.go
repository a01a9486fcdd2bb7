package writes

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// owned is the evidence that an object the scan created as owner is
// owner's, "" when nothing shows it. Who sent the create is not
// ownership: a shared store (no owner field, every identity reads and
// lists every object) has none to break, and another identity's write to
// it is no BOLA. Evidence is (a) an owner field of the create answer or
// of owner's read of the object naming owner, (b) other refused a read of
// it, or (c) owner's listing of the collection holds it and other's,
// served, does not (an owner-scoped collection).
func owned(ctx context.Context, p *probe.Pass, obj *object, owner, other *identity.Identity) string {
	if why := ownerField(ctx, p, obj, owner); why != "" {
		return why
	}
	if get := obj.t.Item[http.MethodGet]; get != nil {
		if o := readAs(ctx, p, get, obj.url, other); o != nil && (oracle.Refusal(o.Sample) || o.Sample.Status == http.StatusNotFound) {
			return fmt.Sprintf("%s's read of it is refused (status %d)", other.Name, o.Sample.Status)
		}
	}
	return scopedListing(ctx, p, obj, owner, other)
}

// ownerField: an owner field of the create answer or of owner's read of
// the object names owner ("" when none does).
func ownerField(ctx context.Context, p *probe.Pass, obj *object, owner *identity.Identity) string {
	selves := principal.Selves(ctx, p.Env)
	self := principal.Named(selves, owner.Name)
	if self == nil {
		return ""
	}
	bodies := [][]byte{obj.answer}
	if get := obj.t.Item[http.MethodGet]; get != nil {
		if o := readAs(ctx, p, get, obj.url, owner); o != nil && oracle.Served(o.Sample) {
			bodies = append(bodies, o.Sample.Body)
		}
	}
	for _, b := range bodies {
		for _, o := range principal.Objects(b) {
			if principal.Whose(o, selves) == self {
				return fmt.Sprintf("its %q field names %s (%s)", o.OwnerKey, owner.Name, shown(o.Owner))
			}
		}
	}
	return ""
}

// scopedListing: owner's GET of the collection lists the object and
// other's, served, does not ("" otherwise).
func scopedListing(ctx context.Context, p *probe.Pass, obj *object, owner, other *identity.Identity) string {
	if obj.mark != nil {
		return "" // the item GET is the listing
	}
	var list *inventory.Endpoint
	for i := range p.Inventory().Endpoints {
		if ep := &p.Inventory().Endpoints[i]; ep.Method == http.MethodGet && ep.Path == obj.t.Create.Path {
			list = ep
		}
	}
	if list == nil {
		return ""
	}
	mine, theirs := readAs(ctx, p, list, obj.t.at, owner), readAs(ctx, p, list, obj.t.at, other)
	if mine == nil || theirs == nil || !oracle.Served(mine.Sample) || !oracle.Served(theirs.Sample) {
		return ""
	}
	keys := []string{obj.t.Param, "id", "_id", "uuid"}
	if lists(mine.Sample.Body, obj.id, keys) && !lists(theirs.Sample.Body, obj.id, keys) {
		return fmt.Sprintf("%s's listing of %s holds it and %s's does not", owner.Name, obj.t.Create.Path, other.Name)
	}
	return ""
}

func readAs(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, u string, id *identity.Identity) *probe.Outcome {
	creds, err := id.Creds(ctx, p.Session())
	if err != nil {
		return nil
	}
	return p.Send(ctx, ep, &httpx.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}, creds, nil)
}

// lists: a JSON answer holds a record whose id field (one of keys) is id.
func lists(body []byte, id string, keys []string) bool {
	return principal.FirstObject(body, func(m map[string]any) bool {
		for _, k := range keys {
			if x, ok := m[k]; ok && k != "" && idString(x) == id {
				return true
			}
		}
		return false
	}) != nil
}

func idString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return fmt.Sprintf("%.0f", t)
	}
	return ""
}
