package inventory

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// toScheme reduces a security scheme to how its credential travels. The
// second result is a warning for schemes authprobe cannot send.
func toScheme(name string, s *openapi3.SecurityScheme) (Scheme, string) {
	out := Scheme{Name: name, Description: s.Description}
	switch strings.ToLower(s.Type) {
	case "http":
		scheme := strings.ToLower(s.Scheme)
		switch scheme {
		case "bearer":
			out.Type, out.In, out.Param, out.Format = "bearer", "header", "Authorization", s.BearerFormat
		case "basic":
			out.Type, out.In, out.Param = "basic", "header", "Authorization"
		default:
			out.Type, out.In, out.Param = scheme, "header", "Authorization"
			return out, fmt.Sprintf("security scheme %q: HTTP %q authentication is not probed", name, s.Scheme)
		}
	case "apikey":
		out.Type, out.In, out.Param = "apiKey", strings.ToLower(s.In), s.Name
		switch out.In {
		case "header", "query", "cookie":
		default:
			return out, fmt.Sprintf("security scheme %q: API key location %q is not header, query or cookie", name, s.In)
		}
		if out.Param == "" {
			return out, fmt.Sprintf("security scheme %q: API key has no name", name)
		}
	case "oauth2", "openidconnect":
		// Both end in an access token sent as a bearer token.
		out.Type, out.In, out.Param, out.Format = "bearer", "header", "Authorization", s.BearerFormat
	default:
		out.Type = s.Type
		return out, fmt.Sprintf("security scheme %q: type %q is not probed", name, s.Type)
	}
	return out, ""
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
	for _, name := range slices.Sorted(maps.Keys(uses)) {
		warns = append(warns, fmt.Sprintf("security scheme %q is required by %d operation(s) but not defined", name, uses[name]))
	}
	return warns
}
