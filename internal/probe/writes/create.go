package writes

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// locate sets where the target creates this run: its own URL, or under
// the object its parent made (noted as not run when there is none).
func locate(p *probe.Pass, t *Target, made map[*Target]*object) bool {
	if t.Named {
		// The collection's URL: each create adds a fresh name to it.
		coll := *t.Create
		coll.Path, coll.Params = t.Create.Path[:strings.LastIndex(t.Create.Path, "/")], nil
		for _, q := range t.Create.Params {
			if q.In != "path" {
				coll.Params = append(coll.Params, q)
			}
		}
		t.at = p.URL(&coll)
		return true
	}
	if t.Parent == nil {
		t.at = p.URL(t.Create)
		return true
	}
	parent := made[t.Parent]
	if parent == nil {
		p.NotRun(fmt.Sprintf("writes: %s and the checks on its objects: its parent %s made no object", t.Create.Key(), t.Parent.Create.Key()))
		return false
	}
	t.at = parent.url + t.Rest
	return true
}

// maxLearn is how often a create is retried after a validation answer.
const maxLearn = 2

// create posts body as id (fresh values in its unique-looking fields) and
// returns the object (nil when the answer is not 2xx with an id) and the
// status. A 400/422 that names missing or unknown fields is read and the
// body retried, up to twice; the body that worked becomes the target's.
func create(ctx context.Context, p *probe.Pass, t *Target, id *identity.Identity, body map[string]any) (*object, int) {
	return createKeeping(ctx, p, t, id, body, nil)
}

// createKeeping is create with fields sent as they are, never made fresh
// (owner fields naming another identity).
func createKeeping(ctx context.Context, p *probe.Pass, t *Target, id *identity.Identity, body, keep map[string]any) (*object, int) {
	creds, err := id.Creds(ctx, p.Session())
	if err != nil {
		return nil, 0
	}
	var o *probe.Outcome
	learnt, wrapped := 0, false
	var sent map[string]any
	at, name := t.at, ""
	if t.Named {
		// A fresh name nobody holds: the scan's own before it is sent,
		// so the write guard lets the create through.
		name = reqbody.FreshName()
		if t.numbered() {
			name = reqbody.FreshNumber()
		}
		at = namedAt(t, name)
		probe.Made(p.Env, name)
	}
	for {
		req := &httpx.Request{Method: http.MethodPost, URL: at, Header: http.Header{}}
		if body != nil {
			sent = reqbody.Fresh(body)
			if len(keep) > 0 {
				sent = reqbody.WithFields(sent, keep)
			}
			if _, ok := reqbody.Payload(sent)[t.Param]; ok && t.Named {
				// The body's field of the path's name carries the same name.
				sent = reqbody.WithField(sent, t.Param, name)
			}
			req = t.request(http.MethodPost, at, sent)
		}
		o = p.Send(ctx, t.Create, req, creds, nil)
		st := o.Sample.Status
		if st/100 == 2 || st == http.StatusUnauthorized || st == http.StatusForbidden || st == http.StatusNotFound || st == http.StatusTooManyRequests || st/100 == 3 {
			break
		}
		if body == nil {
			body = map[string]any{}
		}
		next, changed, ok := learn(st, body, o.Sample.Body)
		switch {
		case ok && learnt < maxLearn:
			// learn reads 400/422 validation answers, and a 500 only for
			// a database's refusal naming a column (a handler that
			// inserts the body as it came).
			learnt++
		case !wrapped && t.envelope != "" && reqbody.Envelope(body) == "":
			// A flat body refused (a 500 too: the API read the missing
			// envelope as None): wrap it as the collection names items.
			next, changed, ok = map[string]any{t.envelope: body}, []string{"the {\"" + t.envelope + "\": …} envelope"}, true
			wrapped = true
		default:
			ok = false
		}
		if !ok {
			break
		}
		p.Note(fmt.Sprintf("writes: %s answered %d; retried with %s", t.Create.Key(), st, strings.Join(changed, ", ")))
		body = next
		if sameTarget(t, body) {
			t.Body = body
			if !strings.Contains(t.From, "validation") {
				t.From += ", completed from validation answers"
			}
		}
	}
	st := o.Sample.Status
	if st/100 != 2 {
		return nil, st
	}
	if t.Named {
		probe.Made(p.Env, name)
		return &object{t: t, id: name, url: at, by: id, answer: o.Sample.Body}, st
	}
	if t.Undo != nil && len(t.Item) == 0 {
		// An action on the path itself: the path is the object. A
		// collection undone on its own path (POST and DELETE /api/keys)
		// names its object in the answer: an id, or the bare value
		// minted ("Xk2…"), which its DELETE asks for (?key=).
		oid := strings.TrimPrefix(t.Rest, "/")
		if oid == "" {
			oid = objectID(o.Sample.Body, o.Sample.Header.Get("Location"), t.Param)
		}
		if oid == "" {
			// A bare value minted is a credential as often as not: it is
			// never printed.
			if oid = scalarAnswer(o.Sample.Body); len(oid) >= 8 {
				p.Redactor().Add(oid)
			}
		}
		probe.MadeIn(p.Env, t.Create.Path, oid)
		return &object{t: t, id: oid, url: t.at, by: id, answer: o.Sample.Body}, st
	}
	oid := objectID(o.Sample.Body, o.Sample.Header.Get("Location"), t.Param)
	if oid == "" {
		if obj := fromRequest(ctx, p, t, id, sent); obj != nil {
			probe.MadeIn(p.Env, t.Create.Path, obj.id)
			return obj, st
		}
		if obj := fromListing(ctx, p, t, id, sent); obj != nil {
			obj.answer = o.Sample.Body
			probe.MadeIn(p.Env, t.Create.Path, obj.id)
			return obj, st
		}
	}
	if oid == "" {
		p.Note(fmt.Sprintf("writes: %s answered %d without an id of the new object", t.Create.Key(), st))
		return nil, st
	}
	probe.MadeIn(p.Env, t.Create.Path, oid)
	return &object{t: t, id: oid, url: strings.TrimRight(t.at, "/") + "/" + url.PathEscape(oid), by: id, answer: o.Sample.Body}, st
}

// learn reads a refused write's answer for a corrected body: a 400/422's
// validation message, or a 500 that lets a database error through (a
// NOT NULL column the body left out, a column the table lacks).
func learn(status int, body map[string]any, answer []byte) (map[string]any, []string, bool) {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return reqbody.Learn(body, answer)
	case http.StatusInternalServerError:
		return reqbody.LearnServerError(body, answer)
	}
	return body, nil, false
}

// sameTarget: the body being learnt is the target's plain body (not a
// variant with forged fields), so what was learnt is kept for later.
func sameTarget(t *Target, body map[string]any) bool {
	return t.Body == nil || len(reqbody.Payload(body)) >= len(reqbody.Payload(t.Body)) && forgedIn(body) == 0
}

func forgedIn(body map[string]any) int {
	n := 0
	for k := range reqbody.Payload(body) {
		if _, ok := privileged[k]; ok {
			n++
		}
	}
	return n
}

// scalarAnswer is an answer that is one JSON string or number (a minted
// key returned as it is), "" otherwise.
func scalarAnswer(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	switch t := v.(type) {
	case string:
		if t != "" && len(t) <= 200 && !strings.ContainsAny(t, " \t\r\n") {
			return t
		}
	case float64:
		return fmt.Sprintf("%.0f", t)
	}
	return ""
}
