package cli

// The code command's route inventory: one endpoint row per method of
// each route, and the aligned table --routes prints.

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// codeEndpoints is one row per method of every route.
func codeEndpoints(p *flask.Project) []report.Endpoint {
	n := 0
	for _, r := range p.Routes {
		n += len(r.Methods)
	}
	out := make([]report.Endpoint, 0, n)
	names := map[authKey]string{} // a hook covering many routes is named once
	for _, r := range p.Routes {
		source, auth := fmt.Sprintf("%s:%d", r.File, r.Line), authNames(r, names)
		for _, m := range r.Methods {
			out = append(out, report.Endpoint{Method: m, Path: r.Path, Source: source, Policy: r.Policy, Auth: auth})
		}
	}
	slices.SortStableFunc(out, func(a, b report.Endpoint) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	})
	return out
}

// authKey is what an endpoint's auth entry shows of a mechanism.
type authKey struct {
	kind, via, name, file string
	line                  int
	optional              bool
}

// authNames names the route's mechanisms; names holds the strings made so
// far, which endpoints share (the rows of one route share the list too).
func authNames(r *flask.Route, names map[authKey]string) []string {
	if len(r.Auth) == 0 {
		return nil
	}
	out := make([]string, 0, len(r.Auth))
	for _, a := range r.Auth {
		k := authKey{a.Kind, a.Via, a.Name, a.File, a.Line, a.Optional}
		s, ok := names[k]
		if !ok {
			s = fmt.Sprintf("%s %s %s (%s:%d)", a.Kind, a.Via, a.Name, a.File, a.Line)
			if a.Optional {
				s += " optional"
			}
			names[k] = s
		}
		out = append(out, s)
	}
	return out
}

// printRoutes writes the inventory as an aligned table, one row per
// method: method, path, handler and where it is, policy, mechanisms.
func printRoutes(w io.Writer, p *flask.Project) error {
	type row struct{ method, path, handler, policy, auth string }
	var rows []row
	for _, r := range p.Routes {
		var parts []string
		for _, a := range r.Auth {
			s := a.Kind + " " + a.Via + " " + a.Name
			if a.Optional {
				s += " (optional)"
			}
			parts = append(parts, s)
		}
		auth := "-"
		if len(parts) > 0 {
			auth = strings.Join(parts, "; ")
		}
		for _, m := range r.Methods {
			rows = append(rows, row{m, r.Path, fmt.Sprintf("%s %s:%d", r.Handler, r.File, r.Line), r.Policy, auth})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].path != rows[j].path {
			return rows[i].path < rows[j].path
		}
		return rows[i].method < rows[j].method
	})
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tPATH\tHANDLER\tPOLICY\tAUTH")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.method, r.path, r.handler, r.policy, r.auth)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "%d endpoints (%d URL rules) in %d files\n", len(rows), len(p.Routes), p.Files); err != nil {
		return err
	}
	mode := "mode: static (routes from the source; --import asks Flask)"
	switch {
	case p.Mode == "exact":
		mode = "mode: exact (" + p.ModeNote + "; routes from Flask's url_map)"
	case p.ModeNote != "":
		mode = "mode: static (" + p.ModeNote + ")"
	}
	if _, err := fmt.Fprintln(w, mode); err != nil {
		return err
	}
	return printSettings(w, p)
}
