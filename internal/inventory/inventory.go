// Package inventory owns the list of endpoints a scan probes: where they come
// from (OpenAPI 3.x and Swagger 2.0 specs, --endpoint flags, the config file's
// endpoints, Flask routes found in source), what authentication each one
// declares, and how they merge into one sorted, de-duplicated list. It never
// sends a request: a spec URL is fetched through a function the caller passes.
package inventory

import (
	"slices"
	"strings"
)

// Source names say where an endpoint was learnt.
const (
	SourceSpec   = "spec"
	SourceFlag   = "flag"
	SourceConfig = "config"
	SourceCode   = "code"
)

// Scheme is one security scheme a spec declares, reduced to how a credential
// is sent.
type Scheme struct {
	Name   string // key in securitySchemes / securityDefinitions
	Type   string // "bearer" (http bearer, oauth2, openIdConnect), "basic", "apiKey"; other http schemes keep their own name ("digest")
	In     string // apiKey: "header" | "query" | "cookie"; bearer and basic: "header"
	Param  string // apiKey: the header, query or cookie name; bearer and basic: "Authorization"
	Format string // bearerFormat, e.g. "JWT"
	// Description is the scheme's description: specs name a non-Bearer
	// scheme there ("Prefix the token with \"Token \"").
	Description string
}

// Param is a path parameter, or a required query parameter, with a value that
// can be sent.
type Param struct {
	Name     string
	In       string // "path" or "query"
	Type     string // "integer", "number", "string", "uuid", "path", "boolean"
	Example  string // from the spec (example, examples, default, enum), else a default per type
	Required bool
}

// Endpoint is one operation: a method on a path template.
type Endpoint struct {
	Method string // upper case
	// Path is a template with {name} placeholders, the spec's base path
	// (servers[0] path or Swagger basePath) already applied. It never holds a
	// query string: query parameters are Params with In "query".
	Path   string
	Params []Param
	// Security: nil = not declared (unknown); empty non-nil = declared public
	// (security: []); otherwise alternatives (OR) of requirement sets (AND) of
	// scheme names. An empty set among the alternatives ({} in the spec) makes
	// authentication optional, which Public reports as public.
	Security [][]string
	Summary  string
	Sources  []string // SourceSpec, SourceFlag, SourceConfig, SourceCode; sorted
	File     string   // handler location when known (from code)
	Line     int
	// Expects lists the kinds of credential the code checks on this route
	// (jwt, api-key, jwt-or-key, login, basic, custom), ExpectsNone when
	// the code shows no check at all; nil when unknown.
	Expects []string
	// Changes says why a GET changes state when the code shows it (the
	// handler deletes or writes a record: "db.session.delete at
	// main.py:128"): such a GET is never called (SideEffect).
	Changes string
	// Carried are the header and cookie parameters the spec declares
	// (X-User-Id, a role cookie): never sent by default; the checks of
	// values the client sets read them.
	Carried []Carried
}

// ExpectsNone is Expects of a route whose code checks no credential.
const ExpectsNone = "none"

// ChecksCredential reports whether the code checks a credential on the
// route: Expects names a kind (ExpectsNone alone says it checks none).
func (ep *Endpoint) ChecksCredential() bool {
	for _, e := range ep.Expects {
		if e != ExpectsNone {
			return true
		}
	}
	return false
}

// Carried is a header or cookie parameter a spec declares, with the values
// its schema enumerates.
type Carried struct {
	Name, In string
	Enum     []string
}

// Key is "METHOD /path", the identity of an endpoint in reports.
func (e Endpoint) Key() string { return e.Method + " " + e.Path }

// Declared reports whether some source said which authentication the
// endpoint requires (including "none").
func (e Endpoint) Declared() bool { return e.Security != nil }

// Public reports whether the endpoint is declared callable without
// credentials: security: [], or an empty requirement among the alternatives.
func (e Endpoint) Public() bool {
	if e.Security == nil {
		return false
	}
	if len(e.Security) == 0 {
		return true
	}
	return slices.ContainsFunc(e.Security, func(set []string) bool { return len(set) == 0 })
}

// Inventory is the merged endpoint list of a scan.
type Inventory struct {
	Endpoints []Endpoint // sorted by path then method, unique by (method, path template)
	Schemes   map[string]Scheme
	// BasePath is the prefix the spec's server (or basePath) put in front of
	// every path, "" when none: a caller whose target URL already ends with
	// it can tell.
	BasePath string
	Warnings []string
	// Bodies are the spec's JSON request bodies by "METHOD /path" (bodies.go).
	Bodies map[string]Body
}

// Add merges endpoints into the inventory. Endpoints with the same method and
// the same path template (placeholder names ignored: /a/{id} is /a/{order_id})
// become one: sources are unioned; the path and parameters, security and
// summary come from the spec record if there is one, else from the code
// record, else from the first one, each filled from the others where it has
// none; the first code location known is kept.
func (inv *Inventory) Add(eps ...Endpoint) {
	index := make(map[string]int, len(inv.Endpoints))
	for i, e := range inv.Endpoints {
		index[mergeKey(e)] = i
	}
	for _, e := range eps {
		e.Method = strings.ToUpper(e.Method)
		e.Params = slices.Clone(e.Params) // callers may share one slice between methods
		e.Sources = normSources(e.Sources)
		k := mergeKey(e)
		if i, ok := index[k]; ok {
			inv.Endpoints[i] = merge(inv.Endpoints[i], e)
			continue
		}
		index[k] = len(inv.Endpoints)
		inv.Endpoints = append(inv.Endpoints, e)
	}
	sortEndpoints(inv.Endpoints)
}

// Merge adds other's endpoints, schemes and warnings to inv. A scheme name
// already present keeps its first definition.
func (inv *Inventory) Merge(other *Inventory) {
	if other == nil {
		return
	}
	inv.Add(other.Endpoints...)
	for name, s := range other.Schemes {
		if inv.Schemes == nil {
			inv.Schemes = make(map[string]Scheme)
		}
		if _, ok := inv.Schemes[name]; !ok {
			inv.Schemes[name] = s
		}
	}
	if inv.BasePath == "" {
		inv.BasePath = other.BasePath
	}
	inv.Warnings = append(inv.Warnings, other.Warnings...)
}

// mergeKey identifies an operation regardless of its placeholder names.
func mergeKey(e Endpoint) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(e.Method))
	b.WriteByte(' ')
	depth := 0
	for _, r := range e.Path {
		switch {
		case r == '{':
			if depth == 0 {
				b.WriteString("{}")
			}
			depth++
		case r == '}' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// merge combines two records of one operation.
func merge(a, b Endpoint) Endpoint {
	primary, other := a, b
	if rank(b) > rank(a) {
		primary, other = b, a
	}
	out := primary
	out.Sources = normSources(append(slices.Clone(a.Sources), b.Sources...))
	if out.Security == nil {
		out.Security = other.Security
	}
	if out.Summary == "" {
		out.Summary = other.Summary
	}
	if len(out.Params) == 0 && out.Path == other.Path {
		out.Params = other.Params
	}
	if out.File == "" {
		out.File, out.Line = other.File, other.Line
	}
	if out.Expects == nil {
		out.Expects = other.Expects
	}
	if out.Carried == nil {
		out.Carried = other.Carried
	}
	if out.Changes == "" {
		out.Changes = other.Changes
	}
	return out
}

// rank orders what a record knows about an operation: a spec declares types,
// examples and security; code knows converter types and the handler; a flag
// or config line knows only the path.
func rank(e Endpoint) int {
	switch {
	case slices.Contains(e.Sources, SourceSpec):
		return 2
	case slices.Contains(e.Sources, SourceCode):
		return 1
	}
	return 0
}

// normSources sorts and de-duplicates source names.
func normSources(s []string) []string {
	if len(s) == 0 {
		return s
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

func sortEndpoints(eps []Endpoint) {
	slices.SortStableFunc(eps, func(a, b Endpoint) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
}
