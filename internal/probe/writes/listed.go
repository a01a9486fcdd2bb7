package writes

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// field is one field of a body and the value sent in it.
type field struct {
	key string
	val string
}

// fromRequest locates an object whose create answered no id, from what
// the request itself says: the item path's parameter sent in the body
// (POST {"book_title": …} beside GET /books/{book_title}), else the
// creator's own value of that parameter (POST /api/post beside GET
// /api/post/{username}, the posts of username). The object is the record
// of the item GET's answer that holds a value the create sent; nil when
// the answer shows none.
func fromRequest(ctx context.Context, p *probe.Pass, t *Target, id *identity.Identity, sent map[string]any) *object {
	if t.Param == "" || sent == nil {
		return nil
	}
	payload := reqbody.Payload(sent)
	key, chosen := "", false
	if v, ok := payload[t.Param]; ok {
		key, chosen = fmt.Sprint(v), true
	} else if self := principal.Named(principal.Selves(ctx, p.Env), id.Name); self != nil {
		for _, v := range self.IDs() {
			if self.Key(v) == principal.Norm(t.Param) {
				key = v
				break
			}
		}
	}
	m := markOf(payload, t.Param)
	// A body whose one telling field is the item parameter itself
	// (POST /store {"name": …} beside GET /store/{name}): the name the
	// scan chose is the mark, once the object's own path reads back
	// holding it.
	byKey := m == nil && chosen && len(key) >= 6
	if byKey {
		m = &field{key: t.Param, val: key}
	}
	if key == "" || m == nil {
		return nil
	}
	obj := &object{t: t, id: key, url: strings.TrimRight(t.at, "/") + "/" + url.PathEscape(key), by: id, mark: m}
	if rec, ok := read(ctx, p, obj, id); !ok || byKey && rec == nil {
		if !chosen || byKey {
			return nil
		}
		// A key the client chose may put the object where its creator
		// cannot read it (another owner's list): the reader decides then.
		p.Note(fmt.Sprintf("writes: %s answered without an id: its object, if stored as sent, is the record of %s holding the %s it was sent (its creator cannot read it there)", t.Create.Key(), obj.url, m.key))
		return obj
	}
	p.Note(fmt.Sprintf("writes: %s answered without an id: its object is the record of %s holding the %s it was sent", t.Create.Key(), obj.url, m.key))
	return obj
}

// markOf is the string field of a sent payload most likely to tell the
// new object apart: a value authprobe made (fresh or learnt), else the
// longest, never the item parameter itself.
func markOf(payload map[string]any, param string) *field {
	var keys []string
	for k, v := range payload {
		if s, ok := v.(string); ok && k != param && len(s) >= 6 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := payload[keys[i]].(string), payload[keys[j]].(string)
		if ma, mb := strings.Contains(a, "authprobe"), strings.Contains(b, "authprobe"); ma != mb {
			return ma
		}
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return keys[i] < keys[j]
	})
	if len(keys) == 0 {
		return nil
	}
	return &field{key: keys[0], val: payload[keys[0]].(string)}
}

// holding returns the first JSON object of body whose field m.key holds
// m.val, at any depth.
func holding(body []byte, m *field) map[string]any {
	return principal.FirstObject(body, func(o map[string]any) bool {
		s, ok := o[m.key].(string)
		return ok && s == m.val
	})
}
