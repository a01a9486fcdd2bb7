package writes

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// payload is the map a body's fields live in: the inner object of a
// one-key envelope ({"article": {...}}), else the body itself.
func payload(body map[string]any) map[string]any {
	if len(body) == 1 {
		for _, v := range body {
			if inner, ok := v.(map[string]any); ok {
				return inner
			}
		}
	}
	return body
}

// envelopeOf names a body's envelope key, "" for a flat body.
func envelopeOf(body map[string]any) string {
	if len(body) == 1 {
		for k, v := range body {
			if _, ok := v.(map[string]any); ok {
				return k
			}
		}
	}
	return ""
}

// withFields copies body (its envelope too) with set added to its payload.
func withFields(body, set map[string]any) map[string]any {
	out := clone(body)
	if env := envelopeOf(body); env != "" {
		inner := clone(payload(body))
		out[env] = inner
		for k, v := range set {
			inner[k] = v
		}
		return out
	}
	for k, v := range set {
		out[k] = v
	}
	return out
}

// withField is withFields for one field.
func withField(body map[string]any, k string, v any) map[string]any {
	return withFields(body, map[string]any{k: v})
}

// uniqueFields are fields APIs keep unique (a slug is made from a title):
// each create gets fresh values so a second create does not collide.
var uniqueFields = map[string]bool{"title": true, "name": true, "username": true, "slug": true, "email": true, "handle": true, "login": true}

// fresh makes the unique-looking string fields of body new.
func fresh(body map[string]any) map[string]any {
	set := map[string]any{}
	for k, v := range payload(body) {
		s, ok := v.(string)
		if !ok || !uniqueFields[strings.ToLower(k)] {
			continue
		}
		if local, domain, ok := strings.Cut(s, "@"); ok {
			set[k] = local + "+" + random() + "@" + domain
		} else {
			set[k] = s + "-" + random()
		}
	}
	if len(set) == 0 {
		return body
	}
	return withFields(body, set)
}

// complaint words: a validation answer names a field next to one of them.
var complaint = regexp.MustCompile(`(?i)required|missing|blank|empty|invalid|must|expected|not a valid|unknown field|may not be null|cannot be null|too short|field`)

// unknownField: an answer that rejects a field the body should not send.
var unknownField = regexp.MustCompile(`(?i)unknown field|not allowed|unexpected|extra fields? not permitted|additional properties`)

// learn reads a 400/422 answer for the fields it names (marshmallow and
// webargs {"errors": {"json": {"title": [...]}}}, Flask-RESTful reqparse
// {"message": {"title": "..."}}, pydantic {"detail": [{"loc": [..,
// "title"], "msg": ...}]}, Conduit {"errors": {"title": [...]}}) and
// returns body with the missing ones added and the unknown ones removed;
// false when the answer names nothing new.
func learn(body map[string]any, answer []byte) (map[string]any, []string, bool) {
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return body, nil, false
	}
	named := map[string]string{} // field → message
	walkErrors(v, "", named)
	env := envelopeOf(body)
	inner := payload(body)
	add, drop := map[string]any{}, map[string]bool{}
	for f, msg := range named {
		switch {
		case f == env || f == "json" || f == "errors" || f == "message" || f == "detail":
		case unknownField.MatchString(msg):
			if _, ok := inner[f]; ok {
				drop[f] = true
			}
		default:
			if _, ok := inner[f]; !ok {
				add[f] = valueFor(f)
			}
		}
	}
	if len(add) == 0 && len(drop) == 0 {
		return body, nil, false
	}
	out := withFields(body, add)
	p := payload(out)
	var changed []string
	for f := range add {
		changed = append(changed, "+"+f)
	}
	for f := range drop {
		delete(p, f)
		changed = append(changed, "-"+f)
	}
	sort.Strings(changed)
	return out, changed, true
}

// walkErrors collects field names an error document pairs with a
// complaint: keys whose value is a complaint message (or a list of them),
// and the last element of pydantic's loc.
func walkErrors(v any, key string, named map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		if loc, ok := t["loc"].([]any); ok && len(loc) > 0 {
			if f, ok := loc[len(loc)-1].(string); ok {
				named[f] = fmt.Sprint(t["msg"], " ", t["type"])
			}
			return
		}
		for k, x := range t {
			walkErrors(x, k, named)
		}
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && key != "" && complaint.MatchString(s) {
				named[key] = s
				continue
			}
			walkErrors(x, key, named)
		}
	case string:
		if key != "" && complaint.MatchString(t) {
			named[key] = t
		}
	}
}

// valueFor invents a value for a field an answer says is missing.
func valueFor(field string) any {
	l := strings.ToLower(field)
	switch {
	case strings.Contains(l, "email"):
		return "authprobe+" + random() + "@example.com"
	case strings.Contains(l, "password"):
		return "Authprobe-pw-1"
	case strings.HasSuffix(l, "list") || strings.HasSuffix(l, "ids") || strings.HasSuffix(l, "tags"):
		return []any{}
	case l == "id" || strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "count") || strings.HasSuffix(l, "quantity"):
		return int64(1)
	}
	return "authprobe-" + random()
}

// singular is the envelope an item of a plural collection key travels in
// ("articles" → "article").
func singular(k string) string {
	switch {
	case strings.HasSuffix(k, "ies") && len(k) > 3:
		return k[:len(k)-3] + "y"
	case strings.HasSuffix(k, "ses") || strings.HasSuffix(k, "xes"):
		return k[:len(k)-2]
	case strings.HasSuffix(k, "s") && !strings.HasSuffix(k, "ss"):
		return k[:len(k)-1]
	}
	return ""
}
