package actions

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// formEffect reads what a form write did for the identity it was sent
// as: a form answered with a redirect (not to a sign-in page) is how web
// apps say "done", so it is sent once more with a mark in its text
// fields, and the page it then redirects to, read as the same identity,
// showing the mark is the write's effect. Nothing is reported: the note
// says the write was exercised (see noteEffect).
func formEffect(ctx context.Context, p *probe.Pass, w *write, pr principal) {
	o := w.as[pr.id.Name]
	if o == nil || o.Sample == nil || o.Request == nil || o.Sample.Status/100 != 3 || oracle.LoginRedirect(o.Sample) {
		return
	}
	if form, _ := formOf(p, w.ep); !form {
		return
	}
	marker := newMarker()
	body, q, ok := markedBody(p, w, marker)
	if !ok {
		return
	}
	m := send(ctx, p, w.ep, withQuery(o.Request.URL, q), body, pr.creds, pr.id.Name+" (marked)")
	if m.Sample == nil || m.Sample.Status/100 != 3 || oracle.LoginRedirect(m.Sample) {
		return
	}
	to, get := redirectGET(p, m.Request.URL, m.Sample.Header.Get("Location"))
	if get == nil {
		return
	}
	g := p.Send(ctx, get, &httpx.Request{Method: http.MethodGet, URL: to, Header: http.Header{}}, pr.creds, nil)
	if g.Sample == nil || !oracle.Served(g.Sample) || !bytes.Contains(g.Sample.Body, []byte(marker)) {
		return
	}
	noteEffect(p, w.ep, &effect{o: m, proof: fmt.Sprintf("%s as %s (%s), then %s, where it redirects, showed the value it sent (%s)",
		w.ep.Key(), pr.id.Name, status(m), get.Key(), marker)})
}

// redirectGET resolves a redirect's target against the request's URL:
// the URL, and the inventory's GET endpoint of its path; nil when the
// target is on another host or no known GET serves it (never a request
// outside the scan's scope).
func redirectGET(p *probe.Pass, from, loc string) (string, *inventory.Endpoint) {
	if loc == "" {
		return "", nil
	}
	base, err := url.Parse(from)
	if err != nil {
		return "", nil
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return "", nil
	}
	to := base.ResolveReference(ref)
	if to.Host != base.Host || to.Scheme != base.Scheme {
		return "", nil
	}
	for _, ep := range p.Endpoints() {
		if ep.Method == http.MethodGet && !hasParams(ep) && templateRx(ep.Path).MatchString(to.Path) {
			return to.String(), ep
		}
	}
	return "", nil
}
