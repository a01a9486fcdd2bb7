package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/static"
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
