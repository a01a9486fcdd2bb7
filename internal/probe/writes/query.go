package writes

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// withQuery is u with the object's learnt query parameters for ep. A
// PUT, PATCH or DELETE whose route has no path parameter names the object
// in the query from the first request on (?key=<id> on DELETE /api/keys,
// the collection in the singular): sent bare, it would be a write to the
// sender's own record, or to all of its objects.
func (o *object) withQuery(u string, ep *inventory.Endpoint) string {
	q := o.query[ep.Key()]
	if len(q) == 0 && o.id != "" && ep.Method != http.MethodPost && !hasPathParam(ep) {
		if name := o.ownParam(); name != "" {
			q = url.Values{name: {o.id}}
		}
	}
	if len(q) == 0 {
		return u
	}
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	have := pu.Query()
	for k, vs := range q {
		have[k] = vs
	}
	pu.RawQuery = have.Encode()
	return pu.String()
}

// learnQuery reads a 400/422 on ep for the query parameters it says are
// missing (FastAPI's loc ["query", "key"], webargs' "query" errors,
// reqparse's "in the query string") and keeps a value for each on the
// object: its own id for a parameter naming the object (the item path's
// parameter, id, the collection's name in the singular: ?key= of DELETE
// /api/keys), a made-up value for any other. It returns what it added.
func (o *object) learnQuery(ep *inventory.Endpoint, status int, answer []byte) []string {
	if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
		return nil
	}
	var added []string
	for _, name := range reqbody.QueryParams(answer) {
		if _, done := o.query[ep.Key()][name]; done {
			continue
		}
		v := fmt.Sprint(reqbody.ValueFor(name))
		if o.id != "" && o.names(name) {
			v = o.id
		}
		if o.query == nil {
			o.query = map[string]url.Values{}
		}
		if o.query[ep.Key()] == nil {
			o.query[ep.Key()] = url.Values{}
		}
		o.query[ep.Key()].Set(name, v)
		added = append(added, "?"+name)
	}
	return added
}

// ownParam is the create's collection in the singular (key for
// /api/keys): the query parameter a write naming the object in its query
// is tried with first.
func (o *object) ownParam() string {
	segs := strings.Split(strings.Trim(o.t.Create.Path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if strings.HasPrefix(segs[i], "{") || segs[i] == "" {
			continue
		}
		if one := reqbody.Singular(segs[i]); one != "" {
			return one
		}
		return segs[i]
	}
	return ""
}

func hasPathParam(ep *inventory.Endpoint) bool {
	for _, p := range ep.Params {
		if p.In == "path" {
			return true
		}
	}
	return strings.ContainsAny(ep.Path, "{<")
}

// names: a parameter named for the object itself — the item path's
// parameter, id, or the create's collection in the singular (key, keyid,
// key_id for /api/keys).
func (o *object) names(param string) bool {
	n := probe.Norm(param)
	if n == "id" || o.t.Param != "" && n == probe.Norm(o.t.Param) {
		return true
	}
	segs := strings.Split(strings.Trim(o.t.Create.Path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if strings.HasPrefix(segs[i], "{") {
			continue
		}
		one := reqbody.Singular(segs[i])
		if one == "" {
			one = segs[i]
		}
		one = probe.Norm(one)
		return n == one || n == one+"id"
	}
	return false
}

// sendLearning sends a write on the object (body as given, nil for none)
// and, when a 400/422 names missing or unknown body fields or missing
// query parameters, sends it again corrected, up to twice; the query
// parameters stay with the object for its later writes on ep. It returns
// the last answer and the body that got it.
func sendLearning(ctx context.Context, p *probe.Pass, obj *object, ep *inventory.Endpoint, body map[string]any, creds identity.Creds) (*probe.Outcome, map[string]any) {
	req := func() *httpx.Request {
		u := obj.at(p, ep)
		if body == nil {
			return &httpx.Request{Method: ep.Method, URL: u, Header: http.Header{}}
		}
		return obj.t.request(ep.Method, u, body)
	}
	o := p.Send(ctx, ep, req(), creds, nil)
	for try := 0; try < maxLearn; try++ {
		changed := obj.learnQuery(ep, o.Sample.Status, o.Sample.Body)
		b := body
		if b == nil {
			b = map[string]any{}
		}
		if next, c, ok := learn(o.Sample.Status, b, o.Sample.Body); ok {
			body, changed = next, append(changed, c...)
		}
		if len(changed) == 0 {
			break
		}
		p.Note(fmt.Sprintf("writes: %s answered %d; retried with %s", ep.Key(), o.Sample.Status, strings.Join(changed, ", ")))
		o = p.Send(ctx, ep, req(), creds, nil)
	}
	return o, body
}
