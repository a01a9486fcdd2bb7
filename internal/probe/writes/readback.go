package writes

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// RuleBOLARead is the read-back of a created object by another identity.
const RuleBOLARead = "authz.bola"

// bolaRead reads the object the owner just created as the other
// identity: the same object back (its id and the owner's own values), where
// an anonymous read is refused, is BOLA proven on an object the scan made
// and that is shown to be owned (an owner field naming its creator, or an
// owner-scoped listing): who made it alone is no ownership.
func bolaRead(ctx context.Context, p *probe.Pass, obj *object, owner, other *identity.Identity, mine map[string]any) {
	get := obj.t.Item[http.MethodGet]
	if get == nil || p.Proven(RuleBOLARead, get) {
		return
	}
	creds, err := other.Creds(ctx, p.Session())
	if err != nil {
		return
	}
	o := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: obj.url, Header: http.Header{}}, creds, nil)
	o.Label = fmt.Sprintf("%s reads %s's new object %s", other.Name, owner.Name, obj.id)
	if o.Sample.Unusable() != "" || o.Sample.Status/100 != 2 {
		return
	}
	theirs := fields(o.Sample.Body)
	field := stringField(mine)
	if field == "" || fmt.Sprint(theirs[field]) != fmt.Sprint(mine[field]) {
		return
	}
	anon := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: obj.url, Header: http.Header{}}, identity.Creds{}, nil)
	anon.Label = "no credential (control)"
	if st := anon.Sample.Status; st != http.StatusUnauthorized && st != http.StatusForbidden {
		return
	}
	why := ownerField(ctx, p, obj, owner)
	if why == "" {
		why = scopedListing(ctx, p, obj, owner, other)
	}
	if why == "" {
		p.NotRun(fmt.Sprintf("writes: BOLA on reads of %s's objects not judged: %s read %s's %s, but nothing shows it is %s's (no owner field names %s, the listings alike): a shared object", obj.t.Create.Key(), other.Name, owner.Name, obj.id, owner.Name, owner.Name))
		return
	}
	f := catalog.New(RuleBOLARead)
	f.Endpoint = &finding.Endpoint{Method: get.Method, Path: get.Path}
	f.Identity = other.Name
	f.Confidence = finding.Confirmed
	f.Message = fmt.Sprintf("%s read %s's object %s, which the scan created as %s: its %q came back as %s wrote it", other.Name, owner.Name, obj.id, owner.Name, field, owner.Name)
	f.Evidence = evidence(p, o, fmt.Sprintf("%s got the object (status %d) with %s's %s", other.Name, o.Sample.Status, owner.Name, field),
		fmt.Sprintf("an anonymous read of it is refused (status %d); it is %s's: %s", anon.Sample.Status, owner.Name, why))
	p.Report(f)
}
