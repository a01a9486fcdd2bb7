package actions

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/pages"
	pp "github.com/authprobe/authprobe/internal/probe/principal"
)

// maxListings bounds the reads an effect proof compares before and after
// an anonymous write.
const maxListings = 6

// listing is a read without path parameters that serves data, and the
// credentials it is read with (none when it serves anonymous callers).
type listing struct {
	ep    *inventory.Endpoint
	creds identity.Creds
}

// record is an object an anonymous write of the scan made, as a listing
// shows it.
type record struct {
	in     listing
	id     string
	fields map[string]any
	nouns  map[string]bool // the listing's path segments and containers, singular
	// markers are the values the scan's writes left in it.
	markers []string
	// forms are the forms an HTML listing offers on the record (see
	// onPage); removed: one of them took the record away.
	forms   []pages.Form
	removed bool
}

// effect is what one anonymous write was shown to do.
type effect struct {
	o     *probe.Outcome
	proof string
	// mint is the credential an open mint handed out and where it was
	// shown to work (mintedForAnyone), for the revocation check.
	mint *mintUse
}

// listingsOf are the GET endpoints without path parameters whose matrix
// shows them served, anonymously or to an identity.
func listingsOf(p *probe.Pass, ids []principal) []listing {
	var out []listing
	for _, ep := range p.Endpoints() {
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") || len(out) >= maxListings {
			continue
		}
		cells := p.Matrix(ep)
		if len(cells) == 0 {
			continue
		}
		if cells[0].Verdict() == oracle.Accepted && cells[0].Outcome != nil && oracle.Served(cells[0].Outcome.Sample) {
			out = append(out, listing{ep: ep})
			continue
		}
		for _, c := range cells[1:] {
			if c.Identity == "" || c.Verdict() != oracle.Accepted {
				continue
			}
			for _, pr := range ids {
				if pr.id.Name == c.Identity {
					out = append(out, listing{ep: ep, creds: pr.creds})
					break
				}
			}
			break
		}
	}
	return out
}

func (l listing) read(ctx context.Context, p *probe.Pass) []byte {
	o := p.Send(probe.WithLabel(ctx, "read back"), l.ep, &httpx.Request{Method: http.MethodGet, URL: p.URL(l.ep), Header: http.Header{}}, l.creds, nil)
	if o.Sample == nil || !oracle.Served(o.Sample) {
		return nil
	}
	return o.Sample.Body
}

func snapshot(ctx context.Context, p *probe.Pass, ls []listing) [][]byte {
	out := make([][]byte, len(ls))
	for i, l := range ls {
		out[i] = l.read(ctx, p)
	}
	return out
}

func newMarker() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "authprobe-" + hex.EncodeToString(b)
}

// markedBody is the endpoint's body (the handler's form included) with
// every string field set to the marker, and its query parameters the
// handler reads set to it too; ok is false when nothing carries it.
func markedBody(p *probe.Pass, w *write, marker string) (map[string]any, url.Values, bool) {
	base := w.body
	if len(base) == 0 {
		if b, ok := p.Settings().SourceBodies[w.ep.Key()]; ok {
			base = b.Value
		}
	}
	body, marked := map[string]any{}, false
	pre := presets(p, w.ep)
	for k, v := range base {
		if _, fixed := pre[k]; fixed {
			body[k] = v
			continue
		}
		if _, text := v.(string); text && !credentialField(k) {
			body[k], marked = marker, true
		} else {
			body[k] = v
		}
	}
	q := url.Values{}
	for k := range p.Settings().SourceQueries[w.ep.Key()] {
		if !credentialField(k) && !placementParam(p, k) {
			q.Set(k, marker)
			marked = true
		}
	}
	return body, q, marked
}

// placementParam: a query parameter an identity's credential travels in.
func placementParam(p *probe.Pass, name string) bool {
	for _, id := range p.Identities() {
		for k := range id.Base.Query {
			if strings.EqualFold(k, name) {
				return true
			}
		}
	}
	return false
}

func withQuery(u string, q url.Values) string {
	if len(q) == 0 {
		return u
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + q.Encode()
}

// proveCreate sends a marked anonymous create and compares the listings
// before and after: a listing that now holds the marker shows the write
// took effect, and the record holding it is the scan's to clean up.
func proveCreate(ctx context.Context, p *probe.Pass, w *write, ls []listing) (*effect, *record) {
	marker := newMarker()
	body, q, ok := markedBody(p, w, marker)
	if !ok || len(ls) == 0 {
		return nil, nil
	}
	before := snapshot(ctx, p, ls)
	// The effect is the proof, whatever the answer said.
	o := send(ctx, p, w.ep, withQuery(p.URL(w.ep), q), body, identity.Creds{}, "no credential (marked)")
	if o.Sample == nil || o.Sample.Err != nil {
		return nil, nil
	}
	for i, l := range ls {
		after := l.read(ctx, p)
		if !bytes.Contains(after, []byte(marker)) || bytes.Contains(before[i], []byte(marker)) {
			continue
		}
		r := &record{in: l, markers: []string{marker}, nouns: nounsOf(l.ep.Path, after, marker)}
		r.fields = pp.FirstObject(after, func(m map[string]any) bool { return holds(m, marker) })
		r.id = recordID(r.fields)
		probe.MadeIn(p.Env, l.ep.Path, r.id) // the scan's own record, in the listing's collection: the write guard lets it be changed
		onPage(r, after, p.URL(l.ep))
		return &effect{o: o, proof: fmt.Sprintf("%s without any credential (%s), then %s listed the record it sent (marked %s)",
			w.ep.Key(), status(o), l.ep.Key(), marker)}, r
	}
	return nil, nil
}

// proveUpdate sends a marked anonymous write to a record an anonymous
// create of the scan made; the record reading back the new marker shows
// it took effect.
func proveUpdate(ctx context.Context, p *probe.Pass, w *write, recs []*record) *effect {
	for _, r := range recs {
		if r.removed {
			continue
		}
		if f := r.formFor(w.ep); f != nil {
			madeOnPage(p, w.ep, f.Action)
			if e := proveOnPage(ctx, p, w, r, f); e != nil {
				return e
			}
			continue
		}
		u, ok := urlFor(p, w.ep, r)
		if !ok {
			continue
		}
		marker := newMarker()
		body, q, marked := markedBody(p, w, marker)
		if !marked {
			return nil
		}
		o := send(ctx, p, w.ep, withQuery(u, q), body, identity.Creds{}, "no credential (marked)")
		if o.Sample == nil || o.Sample.Err != nil {
			return nil
		}
		after := r.in.read(ctx, p)
		got := pp.FirstObject(after, func(m map[string]any) bool { return recordID(m) == r.id && holds(m, marker) })
		if got != nil {
			r.markers = append(r.markers, marker)
			return &effect{o: o, proof: fmt.Sprintf("%s without any credential (%s) on the record the scan made (id %s), which %s then showed holding the new value %s",
				w.ep.Key(), status(o), r.id, r.in.ep.Key(), marker)}
		}
	}
	return nil
}

// urlFor fills ep's path parameters from the record, when each names it:
// the parameter is a field of the record, or an id parameter whose noun
// (cafe of cafe_id, or the path before it) is the record's.
func urlFor(p *probe.Pass, ep *inventory.Endpoint, r *record) (string, bool) {
	if r.id == "" {
		return "", false
	}
	cp := *ep
	cp.Params = append([]inventory.Param(nil), ep.Params...)
	n := 0
	for i, prm := range cp.Params {
		if prm.In != "path" {
			continue
		}
		n++
		if v, ok := scalar(r.fields[prm.Name]); ok && prm.Name != "id" {
			cp.Params[i].Example = url.PathEscape(v)
			continue
		}
		noun := singular(strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(prm.Name), "id"), "_"))
		if !idName(strings.ToLower(prm.Name)) || !(r.nouns[noun] || noun == "" && r.nouns[singular(lastStatic(ep.Path))]) {
			return "", false
		}
		cp.Params[i].Example = url.PathEscape(r.id)
	}
	return p.URL(&cp), n > 0
}

func lastStatic(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if !strings.HasPrefix(segs[i], "{") {
			return strings.ToLower(segs[i])
		}
	}
	return ""
}

// nounsOf names what a listing holds: its path's segments and the keys of
// the containers around the record holding the marker, singular.
func nounsOf(path string, body []byte, marker string) map[string]bool {
	out := map[string]bool{}
	for _, s := range strings.Split(strings.ToLower(strings.Trim(path, "/")), "/") {
		if s != "" {
			out[singular(s)] = true
		}
	}
	pp.FirstObject(body, func(m map[string]any) bool {
		for k, v := range m {
			if list, ok := v.([]any); ok && len(list) > 0 && bytes.Contains(fmt.Append(nil, list), []byte(marker)) {
				out[singular(strings.ToLower(k))] = true
			}
		}
		return false
	})
	return out
}
