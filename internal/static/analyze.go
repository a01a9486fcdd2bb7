// Package static runs authprobe's source analysis of Flask projects: it
// finds the Python files of a directory, parses them on all cores, builds
// the Flask model and runs every rule, then applies inline suppressions.
package static

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
	"github.com/authprobe/authprobe/internal/static/rules"
)

// ErrNoCgo is returned when the binary was built without cgo.
var ErrNoCgo = python.ErrNoCgo

// Analyze parses every .py file under dir but test code, builds the Flask
// model and runs the rules. Findings carry paths relative to dir.
func Analyze(ctx context.Context, dir string) (*flask.Project, []finding.Finding, error) {
	return AnalyzeWith(ctx, dir, Options{})
}

// AnalyzeWith is Analyze with the files chosen by opts; what is left out
// is listed in the project's Skipped.
func AnalyzeWith(ctx context.Context, dir string, opts Options) (*flask.Project, []finding.Finding, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("source directory: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("source directory: %s is not a directory", dir)
	}
	paths, skipped, confs, err := sourceFiles(dir, opts)
	if err != nil {
		return nil, nil, err
	}
	var bound *memoryBound
	var proj *flask.Project // kept by the caller: the bound holds while it lives
	if opts.BoundMemory {
		bound = boundMemory(paths)
		defer func() { bound.restore(proj) }()
	}
	files, warnings, err := ParseFiles(ctx, dir, paths)
	if err != nil {
		return nil, nil, err
	}
	bound.parsed()
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("source directory: %w", err)
	}
	defer root.Close()
	proj = flask.BuildWith(files, func(rel string) ([]byte, error) {
		f, err := root.Open(filepath.FromSlash(rel))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(io.LimitReader(f, 8<<20))
	})
	proj.Warnings = append(warnings, proj.Warnings...)
	proj.Skipped = skipped
	proj.Internal = proxyInternal(root, confs)
	for _, c := range confs {
		if DeployFile(path.Base(c)) {
			proj.Deploy = append(proj.Deploy, c)
		}
	}
	if opts.Import != nil {
		applyExact(ctx, dir, proj, *opts.Import)
	}
	fs := Check(proj)
	return proj, fs, nil
}

// Check runs every rule over a model and applies inline suppressions.
func Check(proj *flask.Project) []finding.Finding {
	pass := rules.NewPass(proj)
	for _, r := range rules.All() {
		runRule(proj, pass, r)
	}
	out := mergeInstances(pass.Findings)
	appCode := testNamedModules(proj)
	ship := readShipping(proj)
	byPath := map[string]*python.File{}
	for _, m := range proj.Modules {
		byPath[m.File.Path] = m.File
	}
	for i := range out {
		if l := out[i].Location; l != nil {
			if f := byPath[l.File]; f != nil {
				out[i].Suppressed = suppression(f.Line(l.Line), out[i].Rule)
			}
		}
		if l := out[i].Location; l != nil && out[i].Severity.Rank() >= finding.Low.Rank() {
			// Test code (with --include-tests) and example code: reported,
			// at low weight (a review finding is low already).
			switch {
			case IsTestPath(l.File) && appCode[l.File] == "":
				out[i].Severity = finding.Low
				out[i].Message += " (test code)"
			case IsExamplePath(l.File):
				out[i].Severity = finding.Low
				out[i].Message += " (example code)"
			default:
				// A file the packaging and container recipes leave out
				// (a maintainer's client script) is not the deployed app.
				why := ship.unshipped(l.File)
				if why == "" {
					why = ship.notRun(proj, byPath[l.File], l.Line)
				}
				if why != "" {
					out[i].Severity = finding.Low
					out[i].Message += " (" + why + ")"
				}
			}
		}
		out[i].ComputeFingerprint()
	}
	finding.Sort(out)
	return out
}

var ignoreRe = regexp.MustCompile(`#\s*authprobe:\s*ignore\[([^\]]*)\](?:\s*--\s*(.*))?`)

// suppression returns the reason of an inline ignore naming rule, or "".
func suppression(line, rule string) string {
	m := ignoreRe.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	for _, id := range strings.Split(m[1], ",") {
		if strings.TrimSpace(id) == rule {
			if r := strings.TrimSpace(m[2]); r != "" {
				return r
			}
			return "ignored inline"
		}
	}
	return ""
}

// ParseFiles reads and parses paths on all cores. A file that cannot be
// read or parsed is a warning; files with syntax errors keep what the
// parser recovered.
func ParseFiles(ctx context.Context, dir string, paths []string) ([]*python.File, []string, error) {
	type result struct {
		file *python.File
		warn string
	}
	results := make([]result, len(paths))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(paths)))
	next := make(chan int)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			parser, err := python.NewParser()
			if err != nil {
				errs[w] = err
				for range next {
				}
				return
			}
			defer parser.Close()
			for i := range next {
				results[i].file, results[i].warn = parseOne(ctx, parser, dir, paths[i])
			}
		}(w)
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err // every worker fails the same way
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var files []*python.File
	var warnings []string
	for _, r := range results {
		if r.file != nil {
			files = append(files, r.file)
		}
		if r.warn != "" {
			warnings = append(warnings, r.warn)
		}
	}
	return files, warnings, nil
}

func parseOne(ctx context.Context, parser *python.Parser, dir, path string) (*python.File, string) {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		rel = path
	}
	rel = filepath.ToSlash(rel)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Sprintf("%s: %v", rel, err)
	}
	f, err := parser.Parse(ctx, rel, python.Decode(src))
	if err != nil {
		return nil, err.Error()
	}
	if f.HasError {
		return f, rel + ": syntax errors; analysed what the parser recovered"
	}
	return f, ""
}

// mergeInstances folds the findings of one rule at one line that differ
// only by endpoint (a route flagged once per method or per mount) into
// one finding whose instances list every endpoint: one finding per cause.
func mergeInstances(fs []finding.Finding) []finding.Finding {
	type key struct {
		rule, file string
		line       int
	}
	first := map[key]int{}
	var out []finding.Finding
	for _, f := range fs {
		if f.Endpoint == nil || f.Location == nil {
			out = append(out, f)
			continue
		}
		k := key{f.Rule, f.Location.File, f.Location.Line}
		i, ok := first[k]
		if !ok {
			first[k] = len(out)
			f.Instances = append(f.Instances, finding.Instance{Endpoint: f.Endpoint})
			out = append(out, f)
			continue
		}
		out[i].Instances = append(out[i].Instances, finding.Instance{Endpoint: f.Endpoint})
	}
	for i := range out {
		if len(out[i].Instances) == 1 {
			out[i].Instances = nil
		}
	}
	return out
}

// runRule runs one rule; a rule that fails on code it did not expect is
// reported as a warning (the other rules' findings stand) instead of
// ending the run.
func runRule(proj *flask.Project, pass *rules.Pass, r rules.Rule) {
	defer func() {
		if e := recover(); e != nil {
			proj.Warnings = append(proj.Warnings, fmt.Sprintf("rule %s stopped early (%v): its findings may be incomplete", r.IDs[0], e))
		}
	}()
	r.Run(pass)
}

// proxyInternal reads the nginx configs shipped in the tree for the paths
// they keep from outside clients.
func proxyInternal(root *os.Root, confs []string) []flask.InternalPath {
	var out []flask.InternalPath
	for _, rel := range confs {
		if !strings.HasSuffix(rel, ".conf") {
			continue
		}
		f, err := root.Open(filepath.FromSlash(rel))
		if err != nil {
			continue
		}
		src, err := io.ReadAll(io.LimitReader(f, 1<<20))
		f.Close()
		if err != nil || !bytes.Contains(src, []byte("location")) {
			continue
		}
		out = append(out, flask.NginxInternal(rel, src)...)
	}
	return out
}
