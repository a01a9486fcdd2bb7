package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/static"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// codeFlags are the code command's options.
type codeFlags struct {
	out             outputFlags
	routes          bool
	config          string
	exclude         []string
	includeTests    bool
	includeVendored bool
	imp             importFlags
}

func newCodeCmd(s IO) *cobra.Command {
	var f codeFlags
	cmd := &cobra.Command{
		Use:   "code DIR",
		Short: "Find authentication misconfigurations in Flask source",
		Long: `Parse the Python files under DIR (tree-sitter), model the Flask app
(apps, blueprints, routes, decorators, before_request gates, Flask-RESTful
resources, MethodViews) and report each JWT and API-key misconfiguration at
its file and line. A line ending in "# authprobe: ignore[RULE-ID] -- reason"
suppresses that rule there; the finding is kept with the reason and does not
count for --fail-on. --routes prints the route inventory instead of the
findings. Test code (tests/ directories, test_*.py, *_test.py, conftest.py;
a file named so that the app imports is app code) is left out unless
--include-tests, vendored third-party trees unless
--include-vendored; --exclude GLOB (repeatable, or code.exclude
in the config) leaves out more. Every run ends with a route-coverage
diagnostic: route-like registrations seen vs. resolved, each one not
resolved with why, and every directory or file left out. Exit codes: 0
nothing at or above --fail-on, 1 findings at or above it, 2 usage error or
unreadable DIR, 3 analysis unavailable (built without cgo).

--import[=MODULE:APP_OR_FACTORY] asks Flask itself (exact mode): it RUNS
THE PROJECT'S CODE, importing the app with --python (default python3) in a
subprocess with a time limit, never serving a request. The app's url_map
becomes the route inventory; routes Flask serves that the static model did
not place are listed with why. Without a target it looks for FLASK_APP,
wsgi.py, app.py and packages with create_app; when nothing imports it says
why and the analysis stays static.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCode(cmd.Context(), s, args[0], &f)
		},
	}
	f.out.register(cmd)
	cmd.Flags().BoolVar(&f.routes, "routes", false, "print the route inventory (method, path, handler file:line, auth) instead of the findings")
	cmd.Flags().StringVarP(&f.config, "config", "c", "", "YAML config file (code.exclude, code.include_tests)")
	cmd.Flags().StringArrayVar(&f.exclude, "exclude", nil, "leave out paths matching this glob (repeatable): a name (\"legacy\", \"*_pb2.py\") or a path (\"app/vendor/*\")")
	cmd.Flags().BoolVar(&f.includeTests, "include-tests", false, "analyse test code too (tests/, test_*.py, conftest.py)")
	cmd.Flags().BoolVar(&f.includeVendored, "include-vendored", false, "analyse vendored third-party trees too (a folder of installed *.dist-info distributions, a copy of Flask); left out by default")
	f.imp.register(cmd.Flags())
	return cmd
}

func runCode(ctx context.Context, s IO, dir string, f *codeFlags) error {
	if err := f.out.resolve(); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	opts := static.Options{Exclude: f.exclude, IncludeTests: f.includeTests, IncludeVendored: f.includeVendored, BoundMemory: true, Import: f.imp.options()}
	if f.config != "" {
		c, err := LoadConfig(f.config)
		if err != nil {
			return usageErr("config: %v", err)
		}
		opts.Exclude = append(append([]string{}, c.Code.Exclude...), opts.Exclude...)
		opts.IncludeTests = opts.IncludeTests || c.Code.IncludeTests
		opts.IncludeVendored = opts.IncludeVendored || c.Code.IncludeVendored
	}
	started := time.Now()
	proj, findings, err := static.AnalyzeWith(ctx, dir, opts)
	switch {
	case errors.Is(err, static.ErrNoCgo):
		return untestable(err)
	case errors.Is(err, context.Canceled):
		return untestable(err)
	case err != nil:
		return usageErr("code: %v", err)
	}
	if proj.Files == 0 {
		// An empty or Python-free directory was not analysed: never a
		// grade for it.
		return untestable(fmt.Errorf("%s: no Python source to analyse; nothing was checked", dir))
	}
	res := newResult(dir, started)
	if findings != nil {
		res.Findings = findings
	}
	res.Warnings = proj.Warnings
	res.Diagnostics = codeDiagnostics(proj)
	res.Endpoints = codeEndpoints(proj)
	res.Stats = report.Stats{Files: proj.Files, Lines: proj.Lines, Endpoints: len(res.Endpoints),
		DurationMS: time.Since(started).Milliseconds()}
	for _, fd := range findings {
		if fd.Suppressed != "" {
			res.Stats.Suppressed++
		}
	}
	for _, w := range proj.Warnings {
		fmt.Fprintf(s.Err, "authprobe: warning: %s\n", w)
	}
	if !f.routes {
		static.Release() // the report holds what is written: the model goes
		return f.out.finish(s, res)
	}
	quiet := f.out.quiet
	f.out.quiet = true
	if err := f.out.finish(s, res); err != nil && !errors.Is(err, errFindings) {
		return err
	}
	if quiet {
		return nil
	}
	if f.out.format == "json" {
		return report.WriteJSON(s.Out, res)
	}
	if err := printRoutes(s.Out, proj); err != nil {
		return err
	}
	return printDiagnostics(s.Out, res.Diagnostics)
}

// codeDiagnostics is the route-coverage diagnostic of a model.
func codeDiagnostics(p *flask.Project) *report.Diagnostics {
	d := &report.Diagnostics{Skipped: append([]string{}, p.Skipped...), Mode: p.Mode, ModeNote: p.ModeNote, Stubbed: p.Stubbed}
	for _, np := range p.NotPlacedSorted() {
		d.NotPlaced = append(d.NotPlaced, report.Unresolved{Location: finding.Location{File: np.File, Line: np.Line},
			Reason: fmt.Sprintf("%s %s (endpoint %s): %s", np.Method, np.Rule, np.Endpoint, np.Reason)})
	}
	for _, st := range p.Settings {
		d.Settings = append(d.Settings, report.Setting{Key: st.Key, Set: st.Set, Length: st.Length,
			EntropyBits: st.EntropyBits, Type: st.Type, Value: st.Value})
	}
	for _, np := range p.Dropped {
		d.Dropped = append(d.Dropped, report.Unresolved{Location: finding.Location{File: np.File, Line: np.Line},
			Reason: fmt.Sprintf("%s %s: %s", np.Method, np.Rule, np.Reason)})
	}
	for _, decl := range p.OtherDecls() {
		// Another framework's route (a FastAPI router next to the Flask
		// app): not a Flask registration, so not counted; said why.
		d.Skipped = append(d.Skipped, fmt.Sprintf("%s:%d: %s", decl.File, decl.Line, decl.Reason))
	}
	assumed := map[[2]string]int{}
	counts := []int{}
	for _, decl := range p.Decls() {
		d.RoutesSeen++
		if decl.Resolved {
			d.RoutesResolved++
			if decl.Assumed != "" {
				k := [2]string{decl.File, decl.Assumed}
				i, ok := assumed[k]
				if !ok {
					i = len(d.Assumed)
					assumed[k] = i
					d.Assumed = append(d.Assumed, report.Unresolved{Location: finding.Location{File: decl.File, Line: decl.Line}})
					counts = append(counts, 0)
				}
				counts[i]++
				d.Assumed[i].Reason = fmt.Sprintf("%d registration(s) here: %s", counts[i], decl.Assumed)
			}
			continue
		}
		d.Unresolved = append(d.Unresolved, report.Unresolved{
			Location: finding.Location{File: decl.File, Line: decl.Line}, Reason: decl.Reason})
	}
	return d
}

func printDiagnostics(w io.Writer, d *report.Diagnostics) error {
	summary, unresolved, skipped := d.Lines()
	if _, err := fmt.Fprintln(w, summary); err != nil {
		return err
	}
	for _, l := range append(unresolved, skipped...) {
		if _, err := fmt.Fprintln(w, "  "+l); err != nil {
			return err
		}
	}
	return nil
}

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

// printSettings lists the imported app's security config: secrets by
// length and entropy only, transport settings by value.
func printSettings(w io.Writer, p *flask.Project) error {
	for _, s := range p.Settings {
		line := "config " + s.Key + ": "
		switch {
		case !s.Set:
			line += "not set"
		case s.Value != nil:
			line += fmt.Sprint(s.Value)
		case s.Length > 0:
			line += fmt.Sprintf("set, %d characters, %.0f bits of entropy", s.Length, s.EntropyBits)
		default:
			line += "set (" + s.Type + ")"
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}
