package inventory

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Body is the JSON request body a write endpoint takes, as the spec
// describes it: Value is what to send (the spec's example when it has one,
// else generated from the schema: types, formats, enums, required fields,
// read-only properties left out), ReadOnly the properties the schema marks
// read-only (a server that stores them is open to mass assignment).
type Body struct {
	Value     any
	Generated bool
	Required  []string
	// ReadOnly maps each read-only property to a value worth forging
	// (true, "admin", a large number).
	ReadOnly map[string]any
	// Form: the operation takes application/x-www-form-urlencoded, not
	// JSON (a FastAPI OAuth2 login): Value's fields go form-encoded.
	Form bool
	// Files: the operation takes multipart/form-data with these file
	// fields (format binary), each with the kind of file its encoding's
	// contentType names ("yaml", "png", ...; "" for any): sent as
	// multipart with harmless files, the other fields beside them.
	Files map[string]string
}

// requestBodies reads every operation's JSON request body (else its
// form-encoded one, else its multipart one), keyed like Endpoint.Key.
func requestBodies(doc *openapi3.T, docBase string) map[string]Body {
	out := map[string]Body{}
	if doc.Paths == nil {
		return out
	}
	for key, item := range doc.Paths.Map() {
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			form := false
			content := op.RequestBody.Value.Content
			mt := content.Get("application/json")
			if mt == nil {
				mt, form = content.Get("application/x-www-form-urlencoded"), true
			}
			files := map[string]string(nil)
			if mt == nil {
				if mt = content.Get("multipart/form-data"); mt != nil {
					files = fileFields(mt)
				}
			}
			if mt == nil {
				continue
			}
			b, ok := bodyOf(mt)
			if !ok {
				continue
			}
			if _, obj := b.Value.(map[string]any); form && !obj {
				continue
			}
			b.Form, b.Files = form || files != nil, files
			out[strings.ToUpper(method)+" "+joinPath(docBase, key)] = b
		}
	}
	return out
}

// fileFields are a multipart body's file properties (string, format
// binary or base64, or a contentMediaType), each with the kind of file its
// encoding's contentType names.
func fileFields(mt *openapi3.MediaType) map[string]string {
	out := map[string]string{}
	if mt.Schema == nil || mt.Schema.Value == nil {
		return out
	}
	for name, p := range mt.Schema.Value.Properties {
		if p == nil || p.Value == nil {
			continue
		}
		v := p.Value
		if v.Items != nil && v.Items.Value != nil && v.Type.Is("array") {
			v = v.Items.Value // a list of files: one is sent
		}
		if v.Format != "binary" && v.Format != "base64" && v.Extensions["contentMediaType"] == nil {
			continue
		}
		kind := ""
		if enc, ok := mt.Encoding[name]; ok && enc != nil {
			kind = FileKind(enc.ContentType)
		}
		out[name] = kind
	}
	return out
}

// FileKind is the kind of harmless file a media type asks for ("yaml" for
// application/x-yaml), "" when it names none the scan builds.
func FileKind(mediaType string) string {
	m := strings.ToLower(mediaType)
	switch {
	case strings.Contains(m, "wordprocessingml"):
		return "docx"
	case strings.Contains(m, "yaml"):
		return "yaml"
	case strings.Contains(m, "csv"):
		return "csv"
	case strings.Contains(m, "xml"):
		return "xml"
	case strings.Contains(m, "png"), strings.HasPrefix(m, "image/"):
		return "png"
	case strings.Contains(m, "json"):
		return "json"
	}
	return ""
}

func bodyOf(mt *openapi3.MediaType) (Body, bool) {
	var b Body
	var s *openapi3.Schema
	if mt.Schema != nil {
		s = mt.Schema.Value
	}
	if s != nil {
		b.Required = append(b.Required, s.Required...)
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			p := s.Properties[name]
			if p == nil || p.Value == nil || !p.Value.ReadOnly || name == "id" {
				continue
			}
			if v := forged(p.Value); v != nil {
				if b.ReadOnly == nil {
					b.ReadOnly = map[string]any{}
				}
				b.ReadOnly[name] = v
			}
		}
	}
	switch {
	case mt.Example != nil:
		b.Value = mt.Example
	case len(mt.Examples) > 0:
		names := make([]string, 0, len(mt.Examples))
		for n := range mt.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		if ex := mt.Examples[names[0]]; ex != nil && ex.Value != nil {
			b.Value = ex.Value.Value
		}
	}
	if b.Value == nil && s != nil {
		b.Value, b.Generated = Sample(s, 0), true
	}
	return b, b.Value != nil
}

// Sample generates a value that satisfies a schema: its example or
// default, the first enum value, else a value of its type and format
// (objects get their writable properties, arrays one item).
func Sample(s *openapi3.Schema, depth int) any {
	switch {
	case s == nil || depth > 6:
		return nil
	case s.Example != nil:
		return s.Example
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.AllOf) > 0:
		merged := map[string]any{}
		for _, part := range s.AllOf {
			if m, ok := Sample(part.Value, depth+1).(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
		}
		return merged
	case len(s.OneOf) > 0:
		return Sample(s.OneOf[0].Value, depth+1)
	case len(s.AnyOf) > 0:
		return Sample(s.AnyOf[0].Value, depth+1)
	}
	t := s.Type
	switch {
	case t.Is("object") || (t.IsEmpty() && len(s.Properties) > 0):
		out := map[string]any{}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			p := s.Properties[name]
			if p == nil || p.Value == nil || p.Value.ReadOnly {
				continue
			}
			out[name] = Sample(p.Value, depth+1)
		}
		return out
	case t.Is("array"):
		if s.Items == nil {
			return []any{}
		}
		// As many items as minItems asks (pydantic v1 writes a list's
		// min_length as minLength), at least one.
		n := max(s.MinItems, s.MinLength, 1)
		out := make([]any, 0, min(n, 16))
		for range min(n, 16) {
			out = append(out, Sample(s.Items.Value, depth+1))
		}
		return out
	case t.Is("integer"):
		// 1, or the least integer the lower bound admits when that is
		// more (exclusiveMinimum 1 asks for 2).
		if n, ok := leastInteger(s); ok && n > 1 {
			return n
		}
		return int64(1)
	case t.Is("number"):
		if n, ok := leastInteger(s); ok && float64(n) > 1.5 {
			return float64(n)
		}
		return 1.5
	case t.Is("boolean"):
		return false
	case t.Is("string"):
		return sampleString(s)
	}
	return nil
}

func sampleString(s *openapi3.Schema) string {
	if lit := patternLiteral(s.Pattern); lit != "" {
		// A pattern that admits one word (FastAPI's OAuth2 form:
		// grant_type "^password$") is the value to send.
		return lit
	}
	var v string
	switch s.Format {
	case "email":
		v = "authprobe@example.com"
	case "date-time":
		v = "2026-01-01T00:00:00Z"
	case "date":
		v = "2026-01-01"
	case "uuid":
		v = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	case "uri", "url":
		v = "https://example.com/authprobe"
	case "password":
		v = "Authprobe-pw-1"
	default:
		v = "authprobe"
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	return v
}

// forged is a value for a read-only property that a server must not take
// from a client: true, a large number, "admin".
func forged(s *openapi3.Schema) any {
	switch {
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("integer"), s.Type.Is("number"):
		return int64(987654)
	case s.Type.Is("string") && len(s.Enum) > 0:
		return s.Enum[len(s.Enum)-1]
	case s.Type.Is("string") && s.Format == "":
		return "admin"
	}
	return nil
}

var literalWord = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// patternLiteral is the word a pattern spells out: "^password$" or
// "password" (older FastAPI's OAuth2 form: grant_type must match it),
// the first of "^(password|refresh_token)$"; "" for any other pattern.
func patternLiteral(p string) string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "^"), "$")
	if strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
		p = strings.TrimPrefix(strings.TrimSuffix(p[1:], ")"), "?:")
	}
	first, _, _ := strings.Cut(p, "|")
	if !literalWord.MatchString(first) {
		return ""
	}
	return first
}
