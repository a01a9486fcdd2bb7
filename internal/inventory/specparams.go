package inventory

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// operationParams merges path-level and operation-level parameters (the
// operation's win on the same name and location) and keeps the path ones and
// the required query ones, path placeholders first in template order.
func operationParams(key, method string, itemParams, opParams openapi3.Parameters) ([]Param, []string) {
	var warns []string
	byID := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{itemParams, opParams} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			byID[ref.Value.In+"\x00"+ref.Value.Name] = ref.Value
		}
	}
	var params []Param
	for _, name := range placeholders(key) {
		p, ok := byID["path\x00"+name]
		if !ok {
			warns = append(warns, fmt.Sprintf("%s %s: path parameter %q is not declared", method, key, name))
			params = append(params, guessParam(name))
			continue
		}
		params = append(params, specParam(p))
	}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		p := byID[id]
		if p.In == openapi3.ParameterInQuery && p.Required {
			params = append(params, specParam(p))
		}
	}
	return params, warns
}

// carriedParams are the header and cookie parameters of an operation,
// with the string values their schemas enumerate.
func carriedParams(itemParams, opParams openapi3.Parameters) []Carried {
	var out []Carried
	seen := map[string]bool{}
	for _, list := range []openapi3.Parameters{opParams, itemParams} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			if p.In != openapi3.ParameterInHeader && p.In != openapi3.ParameterInCookie || seen[p.In+p.Name] {
				continue
			}
			seen[p.In+p.Name] = true
			c := Carried{Name: p.Name, In: p.In}
			if p.Schema != nil && p.Schema.Value != nil {
				for _, v := range p.Schema.Value.Enum {
					if s, ok := v.(string); ok {
						c.Enum = append(c.Enum, s)
					}
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// specParam converts a declared parameter, picking its example value.
func specParam(p *openapi3.Parameter) Param {
	out := Param{Name: p.Name, In: p.In, Required: p.Required || p.In == openapi3.ParameterInPath}
	var schema *openapi3.Schema
	if p.Schema != nil {
		schema = p.Schema.Value
	}
	if schema == nil {
		// A parameter described by content: take its first media type's schema.
		for _, mt := range slices.Sorted(maps.Keys(p.Content)) {
			if m := p.Content[mt]; m != nil && m.Schema != nil && m.Schema.Value != nil {
				schema = m.Schema.Value
				break
			}
		}
	}
	out.Type = schemaType(schema)
	candidates := []any{p.Example}
	for _, name := range slices.Sorted(maps.Keys(p.Examples)) {
		if ex := p.Examples[name]; ex != nil && ex.Value != nil {
			candidates = append(candidates, ex.Value.Value)
		}
	}
	if schema != nil {
		candidates = append(candidates, schema.Example)
		candidates = append(candidates, schema.Examples...)
		candidates = append(candidates, schema.Default, schema.Const)
		if len(schema.Enum) > 0 {
			candidates = append(candidates, schema.Enum[0])
		}
	}
	if v, ok := firstNonEmpty(candidates...); ok {
		out.Example = v
		return out
	}
	out.Example = schemaDefault(out.Type, schema)
	return out
}

// schemaType maps a schema to a Param type. An untyped schema takes the
// first non-string type among its allOf/oneOf/anyOf, looked up a few levels
// deep only: such schemas may refer to themselves.
func schemaType(s *openapi3.Schema) string { return schemaTypeDepth(s, 0) }

func schemaTypeDepth(s *openapi3.Schema, depth int) string {
	if s == nil {
		return "string"
	}
	if (s.Type == nil || s.Type.IsEmpty()) && depth < 4 {
		for _, alt := range slices.Concat(s.AllOf, s.OneOf, s.AnyOf) {
			if alt != nil && alt.Value != nil {
				if t := schemaTypeDepth(alt.Value, depth+1); t != "string" {
					return t
				}
			}
		}
	}
	switch {
	case s.Type.Includes("integer"):
		return "integer"
	case s.Type.Includes("number"):
		return "number"
	case s.Type.Includes("boolean") && !s.Type.Includes("string"):
		return "boolean"
	case s.Format == "uuid":
		return "uuid"
	}
	return "string"
}

// schemaDefault is a type's default value bent to the schema's bounds.
func schemaDefault(typ string, s *openapi3.Schema) string {
	v := defaultExample(typ)
	if s == nil {
		return v
	}
	switch typ {
	case "integer":
		if n, ok := leastInteger(s); ok && n >= 1 {
			return fmt.Sprint(n)
		}
	case "string":
		maxLen := -1
		if s.MaxLength != nil && *s.MaxLength < 1<<20 {
			maxLen = int(*s.MaxLength)
		}
		return fitLength(v, int(min(s.MinLength, 256)), maxLen)
	}
	return v
}

// leastInteger is the smallest integer a schema's lower bound admits:
// minimum, minimum with a 3.0 exclusiveMinimum: true, or a 3.1 (and
// FastAPI/pydantic) numeric exclusiveMinimum; false when it sets none.
func leastInteger(s *openapi3.Schema) (int64, bool) {
	lo, excl := s.Min, s.ExclusiveMin.IsTrue()
	if s.ExclusiveMin.Value != nil { // 3.1: the bound itself
		lo, excl = s.ExclusiveMin.Value, true
	}
	if lo == nil || *lo <= -1e15 || *lo >= 1e15 {
		return 0, false
	}
	n := int64(math.Ceil(*lo))
	if excl && float64(n) == *lo {
		n++
	}
	return n, true
}
