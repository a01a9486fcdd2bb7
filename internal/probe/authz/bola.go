package authz

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// idsPerOwner bounds the objects tried per owner and endpoint.
const idsPerOwner = 3

// reader is an identity that may read an object endpoint.
type reader struct {
	name  string
	creds identity.Creds
	// ref is the endpoint's calibration for the reader: it says what a
	// refusal looks like there.
	ref *oracle.Calibration
}

// direction is one proven read of an owner's object by another identity.
type direction struct {
	owner, other, id string
	o, ctl           *probe.Outcome
}

// runBOLA fills each object endpoint's id parameter with the ids of each
// non-admin identity's objects (principal.Admins: configured, or shown by
// the API's records or by what only they reach) — objects whose owner field names it in any
// answer, ids only its own list answers contain, the ids it is known by —
// and proves, with three principals, that another identity
// reads the owner's object: the owner reads it, an anonymous request is
// refused, the other identity gets the same object, and a made-up id is not
// answered the same way (control). It tries both directions.
func runBOLA(ctx context.Context, p *probe.Pass) {
	var selves []*principal.Self // learnt once, when an endpoint needs them
	// The configured admins or, without any, those the API shows as
	// privileged (its records, or what only they reach): their reading
	// others' objects is their role.
	admin := map[string]bool{}
	for name, why := range principal.Admins(ctx, p.Env) {
		admin[name] = true
		if why != "role admin in the config" {
			p.Note(fmt.Sprintf("authz: %s is taken as an administrator (%s): its reads of others' objects are not BOLA", name, why))
		}
	}
	for _, ep := range p.Endpoints() {
		if ctx.Err() != nil {
			return
		}
		if ep.Method != http.MethodGet {
			continue
		}
		r := rowOf(p, ep)
		if !r.refused() {
			continue
		}
		served := bolaReaders(r, admin)
		if len(served) == 0 {
			continue
		}
		if selves == nil {
			selves = principal.Selves(ctx, p.Env)
		}
		for _, ip := range objectParams(ep) {
			readers := append(append([]reader(nil), served...), principalReaders(r, ip, selves, served, admin)...)
			if len(readers) < 2 {
				continue
			}
			owned := ownedIDs(p, ip, readers, selves)
			var proven []direction
			for _, owner := range readers {
				for i, id := range owned[owner.name] {
					if i >= idsPerOwner {
						break
					}
					if d, ok := tryObject(ctx, p, ep, ip, id, owner, readers); ok {
						proven = append(proven, d)
						break
					}
				}
			}
			if len(proven) > 0 {
				reportBOLA(p, ep, ip, proven)
				break
			}
		}
	}
}

// objectParams are the parameters that may name the object an endpoint
// answers with: its last path parameter, else each query parameter the
// spec or source declares, whatever its name (?id=, ?cid=, ?username=). A
// parameter the endpoint ignores fails the made-up-id control.
func objectParams(ep *inventory.Endpoint) []idParam {
	if ip, ok := lastPathParam(ep); ok {
		return []idParam{ip}
	}
	if strings.Contains(ep.Path, "{") {
		return nil
	}
	var out []idParam
	for _, prm := range ep.Params {
		if prm.In == "query" {
			out = append(out, idParam{param: prm, collection: ep.Path})
		}
	}
	return out
}

// bolaReaders are the non-admin identities (admin: principal.Admins) the
// endpoint lets past its authentication (any answer unlike the anonymous
// refusal).
func bolaReaders(r row, admin map[string]bool) []reader {
	var out []reader
	for _, c := range r.cells {
		if c.Identity == "" || admin[c.Identity] || c.Key != c.Identity || c.Verdict() != oracle.Accepted {
			continue
		}
		out = append(out, reader{name: c.Identity, creds: c.Creds, ref: c.Ref})
	}
	return out
}

// principalReaders are the non-admin identities refused on the matrix's
// example that are known by a value named like the parameter (a user_id
// its login path or token gives): on a per-principal path
// (/shop/v1/{user_id}/orders asked for one identity's id) the others are
// refused by design, and each is tried on its own id, which it must be
// served before its object counts.
func principalReaders(r row, ip idParam, selves []*principal.Self, have []reader, admin map[string]bool) []reader {
	in := map[string]bool{}
	for _, rd := range have {
		in[rd.name] = true
	}
	pn := principal.Norm(ip.param.Name)
	var out []reader
	for _, c := range r.cells {
		if c.Identity == "" || c.Key != c.Identity || admin[c.Identity] || in[c.Identity] || c.Verdict() != oracle.Rejected {
			continue
		}
		s := principal.Named(selves, c.Identity)
		if s == nil {
			continue
		}
		for _, v := range s.IDs() {
			if principal.Fills(pn, s.Key(v)) {
				out = append(out, reader{name: c.Identity, creds: c.Creds, ref: c.Ref})
				in[c.Identity] = true
				break
			}
		}
	}
	return out
}

// exclusiveIDs harvests, per reader, the parameter's values from its 2xx
// answers on GET endpoints without path parameters, and keeps those no
// other reader's answers contain.
func exclusiveIDs(p *probe.Pass, ip idParam, readers []reader) map[string][]string {
	all := map[string][]string{}
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		r := rowOf(p, ep)
		for _, rd := range readers {
			c, ok := r.identity(rd.name)
			if !ok || c.Outcome == nil || !oracle.Served(c.Outcome.Sample) {
				continue
			}
			ids := all[rd.name]
			ip.harvest(c.Outcome.Sample.Body, ep.Path == ip.collection, &ids)
			all[rd.name] = ids
		}
	}
	count := map[string]int{}
	for _, ids := range all {
		for _, id := range ids {
			count[id]++
		}
	}
	out := map[string][]string{}
	for name, ids := range all {
		for _, id := range ids {
			if count[id] == 1 {
				out[name] = append(out[name], id)
			}
		}
	}
	return out
}

// withValue is the endpoint with its id parameter set to v.
func withValue(ep *inventory.Endpoint, name, v string) *inventory.Endpoint {
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	for i := range cp.Params {
		if cp.Params[i].Name == name {
			cp.Params[i].Example = v
			// A query parameter is only sent when required.
			cp.Params[i].Required = true
		}
	}
	return &cp
}

func tryObject(ctx context.Context, p *probe.Pass, ep *inventory.Endpoint, ip idParam, id string, owner reader, readers []reader) (direction, bool) {
	obj := withValue(ep, ip.param.Name, id)
	mine := p.Send(ctx, obj, nil, owner.creds, nil)
	mine.Label = owner.name + " reads its object " + id
	if !oracle.Served(mine.Sample) {
		return direction{}, false
	}
	anon := p.Send(ctx, obj, nil, identity.Creds{}, nil)
	if !owner.ref.Refused(anon.Sample) {
		return direction{}, false
	}
	for _, other := range readers {
		if other.name == owner.name {
			continue
		}
		theirs := p.Send(ctx, obj, nil, other.creds, nil)
		theirs.Label = other.name + " reads " + owner.name + "'s object " + id
		if !sameObject(theirs.Sample, mine.Sample) {
			continue
		}
		ctl := p.Send(ctx, withValue(ep, ip.param.Name, bogus(id)), nil, other.creds, nil)
		ctl.Label = other.name + " reads a made-up id (control)"
		if !controlHolds(ctl.Sample) || sameObject(ctl.Sample, mine.Sample) {
			p.Note(fmt.Sprintf("%s: %s read %s's object %s, but a made-up id was answered alike (%s)", ep.Key(), other.name, owner.name, id, status(ctl)))
			continue
		}
		return direction{owner: owner.name, other: other.name, id: id, o: theirs, ctl: ctl}, true
	}
	return direction{}, false
}

// controlHolds: the made-up id got an answer that can be told from an
// object — any status, a server error included (a handler that indexes a
// dict with the id fails on an unknown one: Flask-RESTful's 500) — but not
// throttling or no answer, which say nothing.
func controlHolds(s *oracle.Sample) bool {
	return s != nil && s.Err == nil && s.Status != 0 && s.Status != http.StatusTooManyRequests
}

// sameObject: a 2xx answer with the owner's content.
func sameObject(s, owner *oracle.Sample) bool {
	return s != nil && s.Unusable() == "" && oracle.Served(s) &&
		oracle.Similarity(s.Shape(), owner.Shape()) >= 0.8
}

// bogus is an id shaped like a harvested one that no one owns.
func bogus(like string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	switch {
	case numeric.MatchString(like):
		return "9" + strings.Repeat("0", len(like)+3) + fmt.Sprint(int(b[0])%90+10)
	case uuidLike.MatchString(like):
		return "00000000-0000-4000-8000-0000" + hex.EncodeToString(b)
	}
	return "authprobe-missing-" + hex.EncodeToString(b)
}

var (
	numeric  = regexp.MustCompile(`^[0-9]+$`)
	uuidLike = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

func reportBOLA(p *probe.Pass, ep *inventory.Endpoint, ip idParam, ds []direction) {
	var parts []string
	conf := finding.Firm
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s read %s's %s %s", d.other, d.owner, ip.param.Name, d.id))
		if d.o.Reflects(d.id) {
			conf = finding.Confirmed
		}
	}
	both := ""
	if len(ds) > 1 {
		both = " (both directions)"
	}
	d := ds[0]
	report(p, ruleBOLA, ep, d.other, conf, d.o,
		fmt.Sprintf("%s%s; ids were taken from each owner's own responses", strings.Join(parts, "; "), both),
		fmt.Sprintf("%s read it (2xx), an anonymous request was refused, %s got the same object (status %d)", d.owner, d.other, d.o.Sample.Status),
		fmt.Sprintf("a made-up %s was not answered with an object (%s)", ip.param.Name, status(d.ctl)))
}
