// Package reqbody builds the JSON request bodies that write requests
// send: the payload inside an API's envelope ({"article": {...}}), fresh
// values for the fields APIs keep unique, and bodies corrected from the
// validation answers of the common Flask stacks. It sends nothing.
package reqbody

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Payload is the map a body's fields live in: the inner object of a
// one-key envelope ({"article": {...}}), else the body itself.
func Payload(body map[string]any) map[string]any {
	if len(body) == 1 {
		for _, v := range body {
			if inner, ok := v.(map[string]any); ok {
				return inner
			}
		}
	}
	return body
}

// Envelope names a body's envelope key, "" for a flat body.
func Envelope(body map[string]any) string {
	if len(body) == 1 {
		for k, v := range body {
			if _, ok := v.(map[string]any); ok {
				return k
			}
		}
	}
	return ""
}

// WithFields copies body (its envelope too) with set added to its payload.
func WithFields(body, set map[string]any) map[string]any {
	out := clone(body)
	if env := Envelope(body); env != "" {
		inner := clone(Payload(body))
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

// WithField is WithFields for one field.
func WithField(body map[string]any, k string, v any) map[string]any {
	return WithFields(body, map[string]any{k: v})
}

// uniqueFields are fields APIs keep unique (a slug is made from a title):
// each create gets fresh values so a second create does not collide.
var uniqueFields = map[string]bool{"title": true, "name": true, "username": true, "slug": true, "email": true, "handle": true, "login": true}

// unique: a field APIs keep unique, or the name of the object itself
// (itemname, product_name, displayName: what tells a new object apart in
// a listing), not a person's first or last name.
func unique(k string) bool {
	l := strings.ToLower(k)
	if uniqueFields[l] {
		return true
	}
	l = strings.NewReplacer("_", "", "-", "").Replace(l)
	if strings.HasPrefix(l, "first") || strings.HasPrefix(l, "last") || strings.HasPrefix(l, "full") || strings.HasPrefix(l, "middle") || strings.HasPrefix(l, "sur") {
		return false
	}
	return strings.HasSuffix(l, "name") || strings.HasSuffix(l, "title")
}

// Fresh makes the unique-looking string fields of body new.
func Fresh(body map[string]any) map[string]any {
	set := map[string]any{}
	for k, v := range Payload(body) {
		s, ok := v.(string)
		if !ok || !unique(k) {
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
	return WithFields(body, set)
}

// complaint words: a validation answer names a field next to one of them.
var complaint = regexp.MustCompile(`(?i)required|missing|blank|empty|invalid|must|expected|not a valid|unknown field|may not be null|cannot be null|too short|shorter than|greater than|at least|field`)

// unknownField: an answer that rejects a field the body should not send.
var unknownField = regexp.MustCompile(`(?i)unknown field|not allowed|unexpected|extra fields? not permitted|additional properties`)

// Learn reads a 400/422 answer for the fields it names (marshmallow and
// webargs {"errors": {"json": {"title": [...]}}}, Flask-RESTful reqparse
// {"message": {"title": "..."}}, pydantic {"detail": [{"loc": [..,
// "title"], "msg": ...}]}, Conduit {"errors": {"title": [...]}}) and
// returns body with the missing ones added and the unknown ones removed;
// false when the answer names nothing new.
func Learn(body map[string]any, answer []byte) (map[string]any, []string, bool) {
	var v any
	if json.Unmarshal(answer, &v) != nil {
		return body, nil, false
	}
	named := map[string]string{} // field → message
	walkErrors(v, "", named)
	// Fields the answer places in the query string, the path or a
	// header are not the body's.
	elsewhere := map[string]string{}
	located(v, elsewhere)
	for f := range elsewhere {
		delete(named, f)
	}
	env := Envelope(body)
	inner := Payload(body)
	add, drop, retyped := map[string]any{}, map[string]bool{}, map[string]bool{}
	for f, msg := range named {
		switch {
		case f == env || f == "json" || f == "errors" || f == "message" || f == "detail" || f == "error" || f == "msg":
		case unknownField.MatchString(msg):
			if _, ok := inner[f]; ok {
				drop[f] = true
			}
		default:
			// A missing field gets a value of the type the message asks
			// for; a field sent with another type is sent again with one.
			kind := demanded(msg)
			cur, present := inner[f]
			switch {
			case !present && kind != "":
				add[f] = valueOfKind(kind, f)
			case !present:
				add[f] = ValueFor(f)
			case kind != "" && !hasKind(cur, kind):
				add[f], retyped[f] = valueOfKind(kind, f), true
			}
			// A value that missed a stated bound (greater than 1, at
			// least 3 characters) is sent again meeting it.
			if b, ok := boundOf(msg); ok {
				v, ok := add[f]
				if !ok {
					v = cur
				}
				if w, moved := b.meet(v); moved {
					add[f] = w
					retyped[f] = retyped[f] || present
				}
			}
		}
	}
	if len(add) == 0 && len(drop) == 0 {
		return body, nil, false
	}
	out := WithFields(body, add)
	p := Payload(out)
	var changed []string
	for f := range add {
		if retyped[f] {
			changed = append(changed, "~"+f)
			continue
		}
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
		if req, ok := t["required"].([]any); ok {
			// A JSON Schema the answer states ({"schema": {"required":
			// ["text"], "properties": {...}}}): its required fields.
			if _, schema := t["properties"].(map[string]any); schema {
				for _, r := range req {
					if f, ok := r.(string); ok {
						named[f] = "required"
					}
				}
				return
			}
		}
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
				inSentence(s, named)
				continue
			}
			walkErrors(x, key, named)
		}
	case string:
		if key != "" && complaint.MatchString(t) {
			named[key] = t
		}
		inSentence(t, named)
	}
}

// inSentence adds the field a message names in its text: "Title is
// required.", "'title' is a required property", "Missing required field:
// title".
func inSentence(msg string, named map[string]string) {
	for _, rx := range listSentences {
		if m := rx.FindStringSubmatch(msg); m != nil {
			for _, w := range listSplit.Split(m[1], -1) {
				w = strings.Trim(strings.TrimSpace(w), `'"`)
				if f := fieldName(w); f != "" && named[f] == "" && !stopWords[strings.ToLower(f)] {
					named[f] = msg
				}
			}
		}
	}
	for _, rx := range sentences {
		if m := rx.FindStringSubmatch(msg); m != nil {
			if f := fieldName(m[1]); named[f] == "" && !stopWords[strings.ToLower(f)] {
				named[f] = msg
			}
		}
	}
}

// sentences are validation messages that carry the field's name in the
// text rather than as a key.
var sentences = []*regexp.Regexp{
	regexp.MustCompile(`^\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]? (?:is|are) (?:a )?(?:required|missing|mandatory)\b`),
	// "amount_cents must be an integer", "description should be a
	// non-empty string": the type goes with the field (demanded).
	regexp.MustCompile(`^\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]? (?:must|should|has to|needs to) be\b`),
	regexp.MustCompile(`(?i)\bmissing (?:required |mandatory )?(?:field|parameter|argument|key|property|value)s?(?: for)?:? ['"]?([A-Za-z_][A-Za-z0-9_]*)`),
	regexp.MustCompile(`(?i)\b(?:field|parameter|property) ['"]([A-Za-z_][A-Za-z0-9_]*)['"] (?:is )?(?:required|missing)`),
	// A database refusing the row a handler built from the body: SQLite's
	// "NOT NULL constraint failed: expenses.description", PostgreSQL's
	// 'null value in column "description" ... violates not-null
	// constraint', MySQL's "Column 'description' cannot be null" and
	// "Field 'description' doesn't have a default value".
	regexp.MustCompile(`NOT NULL constraint failed: (?:[A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)`),
	regexp.MustCompile(`null value in column "([A-Za-z_][A-Za-z0-9_]*)"[^"]*(?:"[^"]*"[^"]*)?violates not-null constraint`),
	regexp.MustCompile(`(?:Column|Field) '([A-Za-z_][A-Za-z0-9_]*)' (?:cannot be null|doesn't have a default value)`),
}

// A list of two or more field names in a sentence: "must include
// username, email and password fields", "missing email or password",
// "Please provide title and content", "name, email and password are
// required". One word per item: "must include a number and a symbol"
// names none.
const fieldList = `((?:['"]?[A-Za-z_]\w*['"]?\s*,\s*)*['"]?[A-Za-z_]\w*['"]?\s*,?\s+(?:and|or|&)\s+['"]?[A-Za-z_]\w*['"]?)`

var (
	listSentences = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(?:must (?:include|contain|provide|have|specify)|missing|please (?:provide|include|enter|supply)|requires?|provide)\s+(?:the\s+)?(?:(?:fields?|parameters?|keys?)\s+)?` + fieldList + `(?:\s+(?:fields?|parameters?|keys?))?\s*(?:[.!,;:]|$)`),
		regexp.MustCompile(`(?i)^\s*` + fieldList + `\s+(?:are|is)\s+(?:all\s+)?(?:required|missing|mandatory)\b`),
	}
	listSplit = regexp.MustCompile(`\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+`)
)

// stopWords follow "missing parameter" without naming one ("Missing
// required parameter in the JSON body").
var stopWords = map[string]bool{"input": true, "this": true, "it": true, "in": true, "for": true, "the": true, "a": true, "an": true, "from": true, "of": true, "to": true, "on": true, "at": true, "with": true, "or": true, "and": true}

// fieldName is the key a message's capitalised word stands for ("Title"
// → "title"); a name with inner capitals (camelCase) stays as written.
func fieldName(w string) string {
	if len(w) > 1 && w[0] >= 'A' && w[0] <= 'Z' && strings.ToLower(w[1:]) == w[1:] {
		return strings.ToLower(w[:1]) + w[1:]
	}
	return w
}

// ValueFor invents a value for a field an answer says is missing.
func ValueFor(field string) any {
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

// Singular is the envelope an item of a plural collection key travels in
// ("articles" → "article").
func Singular(k string) string {
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

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// FreshName is a new name for an object the client names itself
// (POST /items/<name>): recognisably the scan's, never reused.
func FreshName() string { return "authprobe-" + random() }

// FreshNumber is FreshName for a path that takes a number
// (/trip/<int:trip_id>): nine random digits, not starting with 0.
func FreshNumber() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = '0' + c%10
	}
	if out[0] == '0' {
		out[0] = '9'
	}
	return string(out)
}

func random() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
