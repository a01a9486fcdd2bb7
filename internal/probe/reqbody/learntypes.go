package reqbody

import (
	"regexp"
	"strings"
)

// typeDemand finds the type a validation message asks a field's value to
// have: "amount_cents must be an integer", "Not a valid integer.", "Input
// should be a valid integer", "expected a string".
var typeDemand = regexp.MustCompile(`(?i)(?:\b(?:must|should|has to|needs to)\s+be\s+(?:an?\s+|of\s+type\s+)?(?:valid\s+)?(?:non-?empty\s+|positive\s+|whole\s+)?|\bnot\s+a\s+valid\s+|\bexpected\s+(?:an?\s+)?)(integer|int|number|float|decimal|numeric|string|str|text|boolean|bool|list|array|object|dict|mapping)\b`)

// demanded is the kind of value a message asks for: int, string, bool,
// list or object; "" when it names none.
func demanded(msg string) string {
	m := typeDemand.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	switch strings.ToLower(m[1]) {
	case "integer", "int", "number", "float", "decimal", "numeric":
		return "int"
	case "string", "str", "text":
		return "string"
	case "boolean", "bool":
		return "bool"
	case "list", "array":
		return "list"
	}
	return "object"
}

// valueOfKind invents a value of kind for field.
func valueOfKind(kind, field string) any {
	switch kind {
	case "int":
		return int64(1)
	case "bool":
		return true
	case "list":
		return []any{}
	case "object":
		return map[string]any{}
	case "string":
		if s, ok := ValueFor(field).(string); ok {
			return s
		}
		return "authprobe-" + random()
	}
	return ValueFor(field)
}

// hasKind: v is already a value of kind (a non-empty string for string).
func hasKind(v any, kind string) bool {
	switch kind {
	case "int":
		switch v.(type) {
		case int, int64, float64:
			return true
		}
	case "string":
		s, ok := v.(string)
		return ok && s != ""
	case "bool":
		_, ok := v.(bool)
		return ok
	case "list":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return false
}

// Database errors an API lets through as its answer (a 500 with the
// message, a debug page) name the column a body left empty or sent
// unknown: SQLite, PostgreSQL and MySQL wordings.
var (
	dbMissing = []*regexp.Regexp{
		regexp.MustCompile(`(?i)NOT NULL constraint failed: (?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)`),
		regexp.MustCompile(`(?i)null value in column ['"]([A-Za-z_]\w*)['"]`),
		regexp.MustCompile(`(?i)column ['"]([A-Za-z_]\w*)['"] cannot be null`),
		regexp.MustCompile(`(?i)field ['"]([A-Za-z_]\w*)['"] doesn't have a default value`),
	}
	dbUnknown = []*regexp.Regexp{
		regexp.MustCompile(`(?i)has no column named ([A-Za-z_]\w*)`),
		regexp.MustCompile(`(?i)unknown column ['"]([A-Za-z_]\w*)['"]`),
		regexp.MustCompile(`(?i)column ['"]([A-Za-z_]\w*)['"] of relation ['"]?\w+['"]? does not exist`),
	}
)

// LearnServerError reads a server error's answer for the database error it
// lets through: a column a NOT NULL constraint wants is added to body, a
// column the table does not have is removed. Only those wordings are read
// (a traceback's other text names no field); false when none is new.
func LearnServerError(body map[string]any, answer []byte) (map[string]any, []string, bool) {
	msg := string(answer)
	if len(msg) > 64<<10 {
		msg = msg[:64<<10]
	}
	inner := Payload(body)
	add := map[string]any{}
	var changed []string
	for _, rx := range dbMissing {
		for _, m := range rx.FindAllStringSubmatch(msg, 8) {
			if _, ok := inner[m[1]]; !ok && add[m[1]] == nil && !strings.EqualFold(m[1], "id") {
				add[m[1]] = ValueFor(m[1])
				changed = append(changed, "+"+m[1])
			}
		}
	}
	out := WithFields(body, add)
	p := Payload(out)
	for _, rx := range dbUnknown {
		for _, m := range rx.FindAllStringSubmatch(msg, 8) {
			if _, ok := p[m[1]]; ok {
				delete(p, m[1])
				changed = append(changed, "-"+m[1])
			}
		}
	}
	if len(changed) == 0 {
		return body, nil, false
	}
	return out, changed, true
}
