package inventory

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// fromDoc builds an inventory from a loaded OpenAPI 3 document (a Swagger 2.0
// one arrives converted). Every map is walked in sorted key order.
func fromDoc(doc *openapi3.T) *Inventory {
	inv := &Inventory{Schemes: map[string]Scheme{}}
	if doc.Components != nil {
		for _, name := range slices.Sorted(maps.Keys(doc.Components.SecuritySchemes)) {
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
	inv.Bodies = requestBodies(doc, docBase)
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
	for _, key := range slices.Sorted(maps.Keys(paths)) {
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
		for _, method := range slices.Sorted(maps.Keys(ops)) {
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
			names := slices.Sorted(maps.Keys(req))
			if names == nil {
				names = []string{} // security: [{}] is a requirement too
			}
			e.Security = append(e.Security, names)
		}
	}
	params, pwarns := operationParams(key, method, item.Parameters, op.Parameters)
	e.Params = params
	e.Carried = carriedParams(item.Parameters, op.Parameters)
	return e, append(warns, pwarns...)
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
	for _, name := range slices.Sorted(maps.Keys(s.Variables)) {
		if v := s.Variables[name]; v != nil {
			def := v.Default
			if def == "" && len(v.Enum) > 0 {
				def = v.Enum[0]
			}
			raw = strings.ReplaceAll(raw, "{"+name+"}", def)
		}
	}
	p := raw
	if strings.HasPrefix(raw, "//") { // scheme-relative: //host/path
		raw = "x:" + raw
	}
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
