// Package source joins the source analysis with the live scan: the routes
// found in code become the scan's inventory, each proven weakness is pinned
// to the line that causes it, static findings the scan proved merge with
// their dynamic twins, and the code's declared policy becomes the expected
// policy of the auth matrix.
package source

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// Endpoints turns the project's routes into inventory endpoints, one per
// method, with converter types and default values for path parameters and
// the handler's location; a GET whose handler changes stored state says
// so (Changes), and is never called.
func Endpoints(proj *flask.Project) []inventory.Endpoint {
	var out []inventory.Endpoint
	for _, r := range proj.Routes {
		path, params := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			ep := inventory.Endpoint{
				Method: strings.ToUpper(m), Path: path, Params: params,
				Sources: []string{inventory.SourceCode}, File: r.File, Line: r.Line,
				Expects: authKinds(r),
			}
			if len(ep.Expects) == 0 {
				// The code shows no check on the route: a refusal there
				// (a 200 "not found" envelope) says nothing of a credential.
				ep.Expects = []string{inventory.ExpectsNone}
			}
			if (ep.Method == "GET" || ep.Method == "HEAD") && readOnlyRoute(r.Methods) {
				// A handler serving other methods too writes in their
				// branch (if request.method == "POST"): its GET reads.
				ep.Changes = stateChange(r.Def, r.File)
			}
			out = append(out, ep)
		}
	}
	return out
}

// readOnlyRoute: the route serves GET, HEAD and OPTIONS only.
func readOnlyRoute(methods []string) bool {
	for _, m := range methods {
		switch strings.ToUpper(m) {
		case "GET", "HEAD", "OPTIONS":
		default:
			return false
		}
	}
	return true
}

// Index finds the route that serves an endpoint.
type Index struct {
	routes map[string]*flask.Route
}

// NewIndex indexes routes by method and path shape.
func NewIndex(proj *flask.Project) *Index {
	ix := &Index{routes: map[string]*flask.Route{}}
	for _, r := range proj.Routes {
		path, _ := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			k := strings.ToUpper(m) + " " + shape(path)
			if _, dup := ix.routes[k]; !dup {
				ix.routes[k] = r
			}
		}
	}
	return ix
}

// Route returns the route for "METHOD /path/{x}", nil when none. HEAD and
// OPTIONS fall back to the route's GET (Flask adds them).
func (ix *Index) Route(method, path string) *flask.Route {
	if r := ix.routes[method+" "+shape(path)]; r != nil {
		return r
	}
	if method == "HEAD" || method == "OPTIONS" {
		return ix.routes["GET "+shape(path)]
	}
	return nil
}

// shape replaces placeholder names: /a/{id} and /a/{order_id} are one path.
func shape(path string) string {
	var b strings.Builder
	depth := 0
	for _, c := range path {
		switch {
		case c == '{':
			depth++
			if depth == 1 {
				b.WriteString("{}")
			}
		case c == '}':
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return strings.TrimRight(b.String(), "/")
}

func routeLoc(r *flask.Route) finding.Location {
	return finding.Location{File: r.File, Line: r.Line, Snippet: fmt.Sprintf("%s %s → %s", strings.Join(r.Methods, ","), r.Rule, r.Handler)}
}

// authKinds lists the kinds of credential a route's auth checks, once each.
func authKinds(r *flask.Route) []string {
	var out []string
	for _, a := range r.Auth {
		if a.Kind != "" && !slices.Contains(out, a.Kind) {
			out = append(out, a.Kind)
		}
	}
	return out
}

// Undocumented reports routes in code that the spec does not list (OWASP
// API9: improper inventory management).
func Undocumented(proj *flask.Project, spec *inventory.Inventory) []finding.Finding {
	listed := map[string]bool{}
	for _, e := range spec.Endpoints {
		listed[e.Method+" "+shape(e.Path)] = true
	}
	var out []finding.Finding
	for _, e := range Endpoints(proj) {
		if e.Method == "HEAD" || e.Method == "OPTIONS" || listed[e.Method+" "+shape(e.Path)] {
			continue
		}
		if spec.BasePath != "" && listed[e.Method+" "+shape(spec.BasePath+e.Path)] {
			continue
		}
		f := catalog.New("inventory.undocumented-endpoint")
		f.Endpoint = &finding.Endpoint{Method: e.Method, Path: e.Path}
		f.Location = &finding.Location{File: e.File, Line: e.Line}
		f.Confidence = finding.Firm
		f.Source = "static"
		f.Message = fmt.Sprintf("%s is served by the code but not described in the spec", e.Key())
		f.ComputeFingerprint()
		out = append(out, f)
	}
	return out
}

// Gates names, per endpoint ("METHOD /path" as the scan knows it), the
// verifier its route reaches in the code: every decorator, hook or inline
// check that authenticates it, by name and place. Routes behind the same
// verifiers share a gate; one with an extra decorator does not. The first
// mechanism's place names the gate ("FILE:LINE").
func Gates(proj *flask.Project, eps []inventory.Endpoint) map[string]string {
	ix := NewIndex(proj)
	out := map[string]string{}
	for _, ep := range eps {
		r := ix.Route(ep.Method, ep.Path)
		if r == nil || len(r.Auth) == 0 {
			continue
		}
		parts := make([]string, 0, len(r.Auth))
		for _, a := range r.Auth {
			parts = append(parts, fmt.Sprintf("%s:%d %s %s %s", a.File, a.Line, a.Kind, a.Name, a.Via))
		}
		sort.Strings(parts)
		first := strings.SplitN(parts[0], " ", 2)[0]
		out[ep.Key()] = first + "|" + strings.Join(parts, ";")
	}
	return out
}
