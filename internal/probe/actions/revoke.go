package actions

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// mintUse is a credential an open mint handed a caller without any, and
// the gated read it was shown to open: the value alone in slot, while an
// identity (who, by) is served there too.
type mintUse struct {
	value string
	read  *inventory.Endpoint
	slot  identity.Slot
	by    identity.Creds
	who   string
}

// revokedByAnyone proves missing authentication on writes whose object
// is a credential named in the query or the body, not the path (DELETE
// /api/keys?key=, POST /tokens/revoke {"token": ...}): each such write
// is sent without credentials naming the scan's own minted credential,
// and the credential, which opened the gated read just before, is then
// refused there while the identity's own is still served. Only the
// scan's own credential is ever named.
func revokedByAnyone(ctx context.Context, p *probe.Pass, ws []*write, mint *mintUse, from *inventory.Endpoint, refused func(*oracle.Sample) bool) []*openWrite {
	var out []*openWrite
	// Every write of the inventory, DELETE included (the write phase
	// sends those only on objects in a path).
	byEP := map[*inventory.Endpoint]*write{}
	for _, w := range ws {
		byEP[w.ep] = w
	}
	inv := p.Inventory()
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ctx.Err() != nil {
			return out
		}
		if ep == from || ep.Key() == from.Key() || ep.Method == http.MethodGet || ep.Method == http.MethodHead || ep.Method == http.MethodOptions || publicName(ep.Path) {
			continue
		}
		w := byEP[ep]
		if w == nil {
			w = &write{ep: ep, body: bodyOf(p, ep)}
		}
		u, body, where := namingCredential(p, w, mint.value)
		if where == "" {
			continue
		}
		readURL := p.URL(mint.read)
		before := send(ctx, p, mint.read, readURL, nil, mint.slot.Alone(mint.value), "the minted credential, before "+w.ep.Key())
		if !oracle.Served(before.Sample) || refused(before.Sample) {
			return out // it no longer works: nothing left to show
		}
		o := send(ctx, p, w.ep, u, body, identity.Creds{}, fmt.Sprintf("no credential, naming the scan's own minted credential in %s", where))
		after := send(ctx, p, mint.read, readURL, nil, mint.slot.Alone(mint.value), "the minted credential, after "+w.ep.Key())
		if !refused(after.Sample) {
			continue
		}
		still := send(ctx, p, mint.read, readURL, nil, mint.by, mint.who+" (control)")
		if !oracle.Served(still.Sample) || refused(still.Sample) {
			continue // the read refuses everyone now: not this write's doing
		}
		out = append(out, &openWrite{ep: w.ep, anon: o, effect: &effect{o: o, proof: fmt.Sprintf(
			"%s without any credential (%s), naming in %s a credential the scan minted, revoked it: that credential opened %s (%s) just before and is refused there now (%s), while %s is still served (%s); anyone revokes any credential they name",
			w.ep.Key(), status(o), where, mint.read.Key(), status(before), status(after), mint.who, status(still))}})
		return out // the minted credential is spent
	}
	return out
}

// withRevocations adds, for each credential an open mint handed out, the
// writes shown to revoke it without credentials (revokedByAnyone); a
// write already in out gets the effect instead of a second entry.
func withRevocations(ctx context.Context, p *probe.Pass, ws []*write, out []*openWrite, refused func(*oracle.Sample) bool) []*openWrite {
	for _, ow := range append([]*openWrite(nil), out...) {
		if ow.effect == nil || ow.effect.mint == nil {
			continue
		}
	next:
		for _, rv := range revokedByAnyone(ctx, p, ws, ow.effect.mint, ow.ep, refused) {
			for _, have := range out {
				if have.ep == rv.ep {
					have.effect, have.anon = rv.effect, rv.anon
					continue next
				}
			}
			out = append(out, rv)
		}
	}
	return out
}

// namingCredential builds a write's request naming v where its query or
// body takes a credential (a parameter or field named like a key or
// token); where says which, "" when it takes none.
func namingCredential(p *probe.Pass, w *write, v string) (string, map[string]any, string) {
	for _, prm := range w.ep.Params {
		if prm.In != "query" || !credentialName(prm.Name) {
			continue
		}
		u, err := url.Parse(p.URL(w.ep))
		if err != nil {
			return "", nil, ""
		}
		q := u.Query()
		q.Set(prm.Name, v)
		u.RawQuery = q.Encode()
		return u.String(), w.anonBody, "the query parameter " + prm.Name
	}
	for _, b := range []map[string]any{w.body, w.anonBody} {
		keys := make([]string, 0, len(b))
		for k := range b {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			// A password field is the caller's own secret, not a
			// credential the write acts on.
			if !credentialName(k) || strings.Contains(norm(k), "password") {
				continue
			}
			nb := map[string]any{}
			for k2, v2 := range b {
				nb[k2] = v2
			}
			nb[k] = v
			return p.URL(w.ep), nb, "the body field " + k
		}
	}
	return "", nil, ""
}
