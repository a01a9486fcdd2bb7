package actions

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/pages"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// onPage reads the forms an HTML listing offers on the record the scan
// made (its card's Revoke or Edit button): the record has no id a JSON
// answer names, but the page says where to post to change it.
func onPage(r *record, after []byte, base string) {
	if r.id != "" || !pages.IsHTML(after) {
		return
	}
	b, err := url.Parse(base)
	if err != nil {
		return
	}
	for _, f := range pages.Around(after, base, r.markers[0]) {
		// Never a form that posts to another site: out of scope.
		if u, err := url.Parse(f.Action); err == nil && u.Scheme == b.Scheme && u.Host == b.Host {
			r.forms = append(r.forms, f)
		}
	}
}

// formFor is the record's form that posts to ep (its method, a URL of
// ep's path), nil when the page offers none.
func (r *record) formFor(ep *inventory.Endpoint) *pages.Form {
	rx := templateRx(ep.Path)
	for i := range r.forms {
		f := &r.forms[i]
		u, err := url.Parse(f.Action)
		if err == nil && f.Method == ep.Method && rx.MatchString(u.Path) {
			return f
		}
	}
	return nil
}

// templateRx matches the end of a URL path against a route's path
// ("/revoke/{key_id}" matches /revoke/7 and /app/revoke/7).
func templateRx(path string) *regexp.Regexp {
	if rx, ok := templates.Load(path); ok {
		return rx.(*regexp.Regexp)
	}
	parts := paramRx.Split(strings.TrimRight(path, "/"), -1)
	for i, s := range parts {
		parts[i] = regexp.QuoteMeta(s)
	}
	rx := regexp.MustCompile(strings.Join(parts, "[^/]+") + "/?$")
	templates.Store(path, rx)
	return rx
}

var (
	paramRx   = regexp.MustCompile(`\{[^}]*\}`)
	templates sync.Map // route path → its templateRx
)

// proveOnPage submits the record's form for ep without any credential, as
// the page offers it (its fields with the page's values, the record's own
// text fields set to a new mark); the listing then showing the new mark
// (an update) or no longer the record (a removal: a Revoke, a Delete
// button) shows it took effect, whatever the answer was (a form's 302 to
// the page included).
func proveOnPage(ctx context.Context, p *probe.Pass, w *write, r *record, f *pages.Form) *effect {
	marker := newMarker()
	body, marked := map[string]any{}, false
	for k, v := range f.Fields {
		body[k] = v
		if !credentialField(k) && (v == "" || r.shows(v)) {
			body[k], marked = marker, true
		}
	}
	files := map[string]string{}
	for _, k := range f.Files {
		files[k] = ""
	}
	data, ctype := reqbody.Encode(body, true, files)
	h := http.Header{}
	h.Set("Content-Type", ctype)
	o := p.Send(probe.WithLabel(ctx, "no credential (page form)"), w.ep, &httpx.Request{Method: w.ep.Method, URL: f.Action, Header: h, Body: data}, identity.Creds{}, nil)
	if o.Sample == nil || o.Sample.Err != nil {
		return nil
	}
	o.Label = "no credential (page form)"
	after := r.in.read(ctx, p)
	switch {
	case after == nil:
		return nil
	case marked && bytes.Contains(after, []byte(marker)):
		r.markers = append(r.markers, marker)
		return &effect{o: o, proof: fmt.Sprintf("%s without any credential (%s), through the form %s offers on the record the scan made, which it then showed holding the new value %s",
			w.ep.Key(), status(o), r.in.ep.Key(), marker)}
	case !r.shownIn(after):
		r.removed = true
		return &effect{o: o, proof: fmt.Sprintf("%s without any credential (%s), through the form %s offers on the record the scan made (marked %s), which it then no longer listed",
			w.ep.Key(), status(o), r.in.ep.Key(), r.markers[0])}
	}
	return nil
}

// noteEffect says that a write answered with something other than a 2xx
// (a form's 302 to the page) took effect, as its proof shows: the line
// ("effect: METHOD /path answered N ...") is how a reader of the result
// counts the write as exercised.
func noteEffect(p *probe.Pass, ep *inventory.Endpoint, e *effect) {
	if e == nil || e.o == nil || e.o.Sample == nil || e.o.Sample.Status/100 == 2 {
		return
	}
	p.Note(fmt.Sprintf("effect: %s answered %d and took effect: %s", ep.Key(), e.o.Sample.Status, e.proof))
}

// shows: v is a value the scan's writes left in the record.
func (r *record) shows(v string) bool {
	for _, m := range r.markers {
		if strings.Contains(v, m) {
			return true
		}
	}
	return false
}

// shownIn: the page still holds one of the record's marks.
func (r *record) shownIn(body []byte) bool {
	for _, m := range r.markers {
		if bytes.Contains(body, []byte(m)) {
			return true
		}
	}
	return false
}

// servedForms caches, per pass, the forms of the HTML pages the auth
// matrix was served (one served answer per GET): read once, matched for
// every write and request (see pageForm). run drops the entry.
var servedForms sync.Map // *probe.Pass → []pages.Form

func formsServed(p *probe.Pass) []pages.Form {
	if v, ok := servedForms.Load(p); ok {
		return v.([]pages.Form)
	}
	var out []pages.Form
	for _, g := range p.Endpoints() {
		if g.Method != http.MethodGet {
			continue
		}
		for _, c := range p.Matrix(g) {
			if c.Outcome == nil || c.Outcome.Sample == nil || !oracle.Served(c.Outcome.Sample) {
				continue
			}
			if body := c.Outcome.Sample.Body; pages.IsHTML(body) {
				base := p.URL(g)
				b, _ := url.Parse(base)
				for _, f := range pages.Forms(body, base) {
					// Never a form that posts to another site.
					if u, err := url.Parse(f.Action); err == nil && b != nil && u.Host == b.Host {
						out = append(out, f)
					}
				}
			}
			break
		}
	}
	servedForms.Store(p, out)
	return out
}

// pageForm is the form a page the scan was served offers for ep (its
// method, a URL of ep's path on the target's own host), nil when none
// does.
func pageForm(p *probe.Pass, ep *inventory.Endpoint) *pages.Form {
	rx := templateRx(ep.Path)
	fs := formsServed(p)
	for i := range fs {
		if u, err := url.Parse(fs[i].Action); err == nil && fs[i].Method == ep.Method && rx.MatchString(u.Path) {
			return &fs[i]
		}
	}
	return nil
}

// presets are the fields a page's form for ep fills in itself (a hidden
// csrf_token, an id): sent as the page gives them, never marked.
func presets(p *probe.Pass, ep *inventory.Endpoint) map[string]string {
	f := pageForm(p, ep)
	if f == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range f.Fields {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// pageBody is the body of ep's form on a page (its fields, the empty ones
// given a placeholder), with files, nil when no page offers one.
func pageBody(p *probe.Pass, ep *inventory.Endpoint) (map[string]any, map[string]string) {
	f := pageForm(p, ep)
	if f == nil {
		return nil, nil
	}
	body := map[string]any{}
	for k, v := range f.Fields {
		if v == "" {
			v = "authprobe"
		}
		body[k] = v
	}
	var files map[string]string
	for _, k := range f.Files {
		if files == nil {
			files = map[string]string{}
		}
		files[k] = ""
	}
	return body, files
}

// unfilled: a path parameter of ep that none of own's ids fills.
func unfilled(ep *inventory.Endpoint, own ownedIDs) bool {
	for _, prm := range ep.Params {
		if prm.In == "path" && len(own.candidates(prm.Name)) == 0 {
			return true
		}
	}
	return false
}

// madeOnPage tells the write guard the path values of a form the page
// offers on the scan's own record (POST /pins/7/remove of the pin it
// made): that record may be changed.
func madeOnPage(p *probe.Pass, ep *inventory.Endpoint, action string) {
	u, err := url.Parse(action)
	if err != nil {
		return
	}
	tmpl := strings.Split(strings.Trim(ep.Path, "/"), "/")
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < len(tmpl) {
		return
	}
	segs = segs[len(segs)-len(tmpl):]
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") {
			if v, err := url.PathUnescape(segs[i]); err == nil {
				probe.Made(p.Env, v)
			}
		}
	}
}
