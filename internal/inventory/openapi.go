package inventory

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// fromDoc builds an inventory from a loaded OpenAPI 3 document (a Swagger 2.0
// one arrives converted). Every map is walked in sorted key order.
func fromDoc(doc *openapi3.T) *Inventory {
	inv := &Inventory{Schemes: map[string]Scheme{}}
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.SecuritySchemes) {
			ref := doc.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				inv.Warnings = append(inv.Warnings, fmt.Sprintf("security scheme %q is empty", name))
				continue
			}
			s, warn := toScheme(name, ref.Value)
			inv.Schemes[name] = s
			if warn != "" {
				inv.Warnings = append(inv.Warnings, warn)
			}
		}
	}
	docBase, warn := basePath(doc.Servers)
	if warn != "" {
		inv.Warnings = append(inv.Warnings, warn)
	}
	inv.BasePath = docBase
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		msg := "the spec declares no paths"
		if len(doc.Webhooks) > 0 {
			msg += " (only webhooks, which are calls the API makes, not endpoints)"
		}
		inv.Warnings = append(inv.Warnings, msg)
		return inv
	}
	paths := doc.Paths.Map()
	var eps []Endpoint
	for _, key := range sortedKeys(paths) {
		item := paths[key]
		if item == nil {
			continue
		}
		if !strings.HasPrefix(key, "/") {
			inv.Warnings = append(inv.Warnings, fmt.Sprintf("path %q does not start with \"/\"; skipped", key))
			continue
		}
		if err := checkTemplate(key); err != nil {
			inv.Warnings = append(inv.Warnings, fmt.Sprintf("path %q: %v; skipped", key, err))
			continue
		}
		ops := item.Operations()
		for _, method := range sortedKeys(ops) {
			op := ops[method]
			if op == nil {
				continue
			}
			e, warns := toEndpoint(doc, key, strings.ToUpper(method), item, op, docBase)
			inv.Warnings = append(inv.Warnings, warns...)
			eps = append(eps, e)
		}
	}
	inv.Warnings = append(inv.Warnings, undeclaredSchemes(eps, inv.Schemes)...)
	inv.Add(eps...)
	return inv
}

// undeclaredSchemes warns once per scheme name that security requirements
// use but securitySchemes does not define.
func undeclaredSchemes(eps []Endpoint, schemes map[string]Scheme) []string {
	uses := map[string]int{}
	for _, e := range eps {
		for _, set := range e.Security {
			for _, name := range set {
				if _, ok := schemes[name]; !ok {
					uses[name]++
				}
			}
		}
	}
	var warns []string
	for _, name := range sortedKeys(uses) {
		warns = append(warns, fmt.Sprintf("security scheme %q is required by %d operation(s) but not defined", name, uses[name]))
	}
	return warns
}

// toEndpoint converts one operation.
func toEndpoint(doc *openapi3.T, key, method string, item *openapi3.PathItem, op *openapi3.Operation, docBase string) (Endpoint, []string) {
	var warns []string
	base := docBase
	servers := item.Servers
	if op.Servers != nil && len(*op.Servers) > 0 {
		servers = *op.Servers
	}
	if len(servers) > 0 {
		b, w := basePath(servers)
		base = b
		if w != "" {
			warns = append(warns, fmt.Sprintf("%s %s: %s", method, key, w))
		}
	}
	e := Endpoint{
		Method:  method,
		Path:    joinPath(base, key),
		Summary: op.Summary,
		Sources: []string{SourceSpec},
	}
	if e.Summary == "" {
		e.Summary = op.OperationID
	}
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if op.Security != nil || doc.Security != nil {
		e.Security = make([][]string, 0, len(reqs))
		for _, req := range reqs {
			names := sortedKeys(req)
			e.Security = append(e.Security, names)
		}
	}
	params, pwarns := operationParams(key, method, item.Parameters, op.Parameters)
	e.Params = params
	return e, append(warns, pwarns...)
}

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
	for _, id := range sortedKeys(byID) {
		p := byID[id]
		if p.In == openapi3.ParameterInQuery && p.Required {
			params = append(params, specParam(p))
		}
	}
	return params, warns
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
		for _, mt := range sortedKeys(p.Content) {
			if m := p.Content[mt]; m != nil && m.Schema != nil && m.Schema.Value != nil {
				schema = m.Schema.Value
				break
			}
		}
	}
	out.Type = schemaType(schema)
	candidates := []any{p.Example}
	for _, name := range sortedKeys(p.Examples) {
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
		lo, excl := s.Min, s.ExclusiveMin.IsTrue()
		if s.ExclusiveMin.Value != nil { // 3.1: the bound itself
			lo, excl = s.ExclusiveMin.Value, true
		}
		if lo != nil && *lo >= 1 && *lo < 1e15 {
			n := int64(math.Ceil(*lo))
			if excl && float64(n) == *lo {
				n++
			}
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

// basePath is the path of the first server URL, variables replaced by their
// defaults, without a trailing slash; "" for none or "/". The second result
// is a warning.
func basePath(servers openapi3.Servers) (string, string) {
	var paths []string
	for _, s := range servers {
		if s != nil {
			paths = append(paths, serverPath(s))
		}
	}
	if len(paths) == 0 {
		return "", ""
	}
	if strings.ContainsAny(paths[0], "{}") {
		return "", fmt.Sprintf("server URL path %q has a variable without a default; no base path applied", paths[0])
	}
	for _, p := range paths[1:] {
		if p != paths[0] {
			return paths[0], fmt.Sprintf("servers have different paths (%q, %q); the first is used", paths[0], p)
		}
	}
	return paths[0], ""
}

// serverPath is the path part of one server URL, variables replaced by their
// defaults (or first enum value); a variable without either is left in.
func serverPath(s *openapi3.Server) string {
	raw := s.URL
	for _, name := range sortedKeys(s.Variables) {
		if v := s.Variables[name]; v != nil {
			def := v.Default
			if def == "" && len(v.Enum) > 0 {
				def = v.Enum[0]
			}
			raw = strings.ReplaceAll(raw, "{"+name+"}", def)
		}
	}
	p := raw
	if i := strings.Index(raw, "://"); i >= 0 {
		// The path is everything from the first slash after the authority;
		// not url.Parse, which escapes a leftover {variable}.
		p = ""
		if slash := strings.IndexByte(raw[i+3:], '/'); slash >= 0 {
			p = raw[i+3+slash:]
		}
	}
	p, _, _ = strings.Cut(p, "?")
	p, _, _ = strings.Cut(p, "#")
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// joinPath puts a base path in front of a spec path key.
func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + key
}
