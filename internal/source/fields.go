package source

import (
	"strings"
)

// A field is one field a model in the code declares for a request body:
// a marshmallow or flask-restx field, a reqparse argument, a pydantic or
// dataclass attribute. Every source reduces its declarations to fields,
// and one function (bodyOf) turns fields into a body, so that a type
// means the same value whichever library declared it.
type field struct {
	Name string
	// Kind is the type normalised by kindOf: string, int, float, bool,
	// list, dict, email, url, datetime, date, uuid, object.
	Kind string
	// Nested are the fields of an object (a nested model), or of a list's
	// items when they are objects.
	Nested []field
	// Value, when set, is the value the code fixes (a reqparse choice,
	// a Literal, an enum's first member, a default).
	Value any
}

// bodyOf is the body a list of fields describes: every field, with a value
// of its kind. A validation answer corrects what a placeholder gets wrong.
func bodyOf(fs []field) map[string]any {
	out := map[string]any{}
	for _, f := range fs {
		if f.Name == "" {
			continue
		}
		out[f.Name] = valueOf(f, 0)
	}
	return out
}

// valueOf is a value for one field.
func valueOf(f field, depth int) any {
	if f.Value != nil {
		return f.Value
	}
	switch f.Kind {
	case "int":
		return int64(1)
	case "float":
		return 1.5
	case "bool":
		return false
	case "list":
		if len(f.Nested) > 0 && depth < 3 {
			return []any{nestedBody(f.Nested, depth)}
		}
		return []any{}
	case "dict":
		return map[string]any{}
	case "object":
		if depth < 3 {
			return nestedBody(f.Nested, depth)
		}
		return map[string]any{}
	case "email":
		return "authprobe@example.com"
	case "url":
		return "https://example.com/authprobe"
	case "datetime":
		return "2026-01-01T00:00:00Z"
	case "date":
		return "2026-01-01"
	case "uuid":
		return "00000000-0000-4000-8000-000000000000"
	case "string":
		// A declared string stays a string, whatever its name suggests
		// (a strict validator refuses 1 for a str).
		if v, ok := placeholder(f.Name).(string); ok {
			return v
		}
		return "1"
	}
	return placeholder(f.Name)
}

func nestedBody(fs []field, depth int) map[string]any {
	out := map[string]any{}
	for _, f := range fs {
		if f.Name != "" {
			out[f.Name] = valueOf(f, depth+1)
		}
	}
	return out
}

// kindOf normalises a type as the code spells it — a marshmallow or
// flask-restx field class (Integer, Str, Email), a Python annotation (int,
// Optional[float], List[str], EmailStr, datetime), a reqparse type= (int,
// inputs.boolean, inputs.date) — to a field kind; "" when it says nothing
// (then the field's name decides, as placeholder does).
func kindOf(typ string) string {
	t := strings.TrimSpace(typ)
	// Optional[X], X | None, Union[X, None], Annotated[X, ...]: X.
	for _, wrap := range []string{"Optional[", "typing.Optional[", "Annotated[", "typing.Annotated[", "Union[", "typing.Union["} {
		if inner, ok := strings.CutPrefix(t, wrap); ok {
			inner = strings.TrimSuffix(inner, "]")
			t = strings.TrimSpace(splitTop(inner)[0])
		}
	}
	if a, _, ok := strings.Cut(t, "|"); ok && !strings.Contains(t, "[") {
		t = strings.TrimSpace(a)
	}
	base := t
	if i := strings.IndexAny(base, "[("); i >= 0 {
		base = base[:i]
	}
	base = lastName(base)
	return typeKind(base)
}

// typeKind is the one table of type names to field kinds: marshmallow and
// flask-restx field classes, Python and pydantic annotations, reqparse
// types and SQLAlchemy column types (BigInteger, Numeric, Unicode), so that
// a type name means the same kind wherever the code declares it; "" for a
// name it does not know.
func typeKind(name string) string {
	switch strings.ToLower(name) {
	case "int", "integer", "conint", "positiveint", "nonnegativeint", "strictint", "natural", "positive", "int_range",
		"biginteger", "smallinteger":
		return "int"
	case "float", "decimal", "number", "confloat", "condecimal", "arbitrary", "fixed", "numeric":
		return "float"
	case "bool", "boolean", "strictbool":
		return "bool"
	case "list", "set", "tuple", "sequence", "conlist", "frozenset", "iterable":
		return "list"
	case "dict", "mapping", "raw", "wildcard":
		return "dict"
	case "email", "emailstr", "nameemail":
		return "email"
	case "url", "httpurl", "anyurl", "anyhttpurl":
		return "url"
	case "datetime", "datetime_from_iso8601", "datetime_from_rfc822", "awaredatetime":
		return "datetime"
	case "date", "iso8601interval":
		return "date"
	case "uuid", "uuid4", "uuid1":
		return "uuid"
	case "nested", "dictfield":
		return "object"
	case "str", "string", "constr", "strictstr", "text", "unicode", "unicodetext", "varchar":
		return "string"
	}
	return ""
}

// splitTop splits s at its top-level commas (not inside brackets or
// parentheses).
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[', '(', '{':
			depth++
		case ']', ')', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// itemType is X of List[X], list[X], Sequence[X]; "" otherwise.
func itemType(typ string) string {
	t := strings.TrimSpace(typ)
	for _, wrap := range []string{"Optional[", "typing.Optional["} {
		if inner, ok := strings.CutPrefix(t, wrap); ok {
			t = strings.TrimSpace(splitTop(strings.TrimSuffix(inner, "]"))[0])
		}
	}
	i := strings.Index(t, "[")
	if i < 0 || !strings.HasSuffix(t, "]") || kindOf(t[:i]) != "list" {
		return ""
	}
	return strings.TrimSpace(splitTop(t[i+1 : len(t)-1])[0])
}
