package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
	"github.com/authprobe/authprobe/internal/probe/writes"
)

// probeCreate sends a REST collection's create without credentials: the
// only request of the write phase's own ground this check sends. Refused,
// nothing was created; served, the object is deleted again through the
// item's DELETE (without credentials too), or left with a note.
func probeCreate(ctx context.Context, p *probe.Pass, t *writes.Target) *write {
	body := t.Body
	if b := writes.Accepted(p.Inventory(), t.Create.Key()); b != nil {
		// The body the write phase's identity was served with: an
		// anonymous answer to it is about the caller, not the shape.
		body = reqbody.Fresh(b)
	}
	if body == nil {
		body = map[string]any{}
	}
	w := &write{ep: t.Create, body: body, as: map[string]*probe.Outcome{}, create: t}
	w.anon, w.anonBody = send(ctx, p, t.Create, p.URL(t.Create), body, identity.Creds{}, "no credential"), body
	for try := 0; try < 2 && validation(w.anon.Sample.Status); try++ {
		// Past any gate, the route names what its body lacks: complete
		// it from that answer, as the write phase does for an identity.
		next, _, ok := reqbody.Learn(body, w.anon.Sample.Body)
		if !ok {
			break
		}
		body = next
		w.body = body
		w.anon, w.anonBody = send(ctx, p, t.Create, p.URL(t.Create), body, identity.Creds{}, "no credential (body completed from its validation answer)"), body
	}
	if oracle.Served(w.anon.Sample) {
		cleanupCreate(ctx, p, t, w.anon)
	}
	return w
}

// cleanupCreate deletes what an anonymous create made, when the answer
// names its id and the collection has an item DELETE.
func cleanupCreate(ctx context.Context, p *probe.Pass, t *writes.Target, o *probe.Outcome) {
	del := t.StandardItem(http.MethodDelete)
	id := createdID(o.Sample.Body)
	if del == nil || id == "" {
		p.Note(fmt.Sprintf("actions: %s created an object without credentials; left in place (no id or no DELETE to remove it)", t.Create.Key()))
		return
	}
	u := p.URL(t.Create)
	u = strings.TrimRight(u, "/") + "/" + id
	d := p.Send(ctx, del, &httpx.Request{Method: http.MethodDelete, URL: u, Header: http.Header{}}, identity.Creds{}, nil)
	if !oracle.Served(d.Sample) {
		p.Note(fmt.Sprintf("actions: %s created object %s without credentials; DELETE without credentials answered %d: left in place", t.Create.Key(), id, d.Sample.Status))
	}
}

// createdID is the id in a create's answer: "id" at the top, or in a
// one-key envelope ({"note": {"id": 7}}).
func createdID(body []byte) string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	if len(m) == 1 {
		for _, v := range m {
			if inner, ok := v.(map[string]any); ok {
				m = inner
			}
		}
	}
	if s, ok := scalar(m["id"]); ok {
		return s
	}
	return ""
}

// validation: a status an API answers a body it cannot take with.
func validation(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusUnprocessableEntity
}
