package actions

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// Objects named in a request body (POST /deletetask {"task_id": 5}, GET
// /taskdone {"task_id": 5}) have no collection path that ties them to the
// write that makes them. The write that makes them says so itself: sent
// as each identity, it answered each a value of its own under one id name
// (POST /addtask answered alice {"task-id": 5} and bob {"task-id": 6}).
// That write mints the victim a fresh object right before an action is
// tried on it as another identity: the object is the scan's own and alive,
// whatever the action's probes did to the ones before.

// minters maps a normalised id name other than a bare "id" to the write
// whose answers handed two or more identities distinct values under it.
type minters map[string]*write

// learnMinters reads the write answers: a POST that answered each
// identity it served a value of its own under an id name, which its own
// body does not carry (an action answering the id it was sent is no
// maker of objects). The first write in the inventory's order wins a name.
func learnMinters(ws []*write) minters {
	out := minters{}
	for _, w := range ws {
		if w.ep.Method != http.MethodPost {
			continue
		}
		sent := map[string]bool{}
		for _, s := range idSlots(w.ep, w.body) {
			sent[norm(s.name)] = true
		}
		values := map[string]map[string]string{} // name → identity → value
		for who, o := range w.as {
			if o == nil || !oracle.Served(o.Sample) {
				continue
			}
			for k, v := range answerIDs(o.Sample.Body) {
				if values[k] == nil {
					values[k] = map[string]string{}
				}
				values[k][who] = v
			}
		}
		for name, by := range values {
			if name == "id" || sent[name] || out[name] != nil || len(by) < 2 || !distinct(by) {
				continue
			}
			out[name] = w
		}
	}
	return out
}

// answerIDs are the id-named scalar fields of a write's answer (its
// payload: the one object an envelope holds), by normalised name.
func answerIDs(body []byte) map[string]string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range reqbody.Payload(m) {
		if s, ok := scalar(v); ok && idName(norm(k)) {
			out[norm(k)] = s
		}
	}
	return out
}

func distinct(by map[string]string) bool {
	seen := map[string]bool{}
	for _, v := range by {
		if seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

// mintFor sends the write that makes objects named like slot as victim
// and returns the new object's id ("" when there is no such write, it is
// the action itself, or it did not answer one).
func mintFor(ctx context.Context, p *probe.Pass, mint minters, w *write, s slot, victim principal, own ownedIDs) string {
	name := norm(s.name)
	m := mint[name]
	if m == nil || m == w {
		return ""
	}
	u, body := fill(p, m.ep, m.body, own, nil)
	o := send(ctx, p, m.ep, u, body, victim.creds, victim.id.Name+" makes an object to act on")
	if o.Sample == nil || !oracle.Served(o.Sample) {
		return ""
	}
	return answerIDs(o.Sample.Body)[name]
}
