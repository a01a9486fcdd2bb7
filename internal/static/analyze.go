// Package static runs authprobe's source analysis of Flask projects: it
// finds the Python files of a directory, parses them on all cores, builds
// the Flask model and runs every rule, then applies inline suppressions.
package static

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
	"github.com/authprobe/authprobe/internal/static/rules"
)

// ErrNoCgo is returned when the binary was built without cgo.
var ErrNoCgo = python.ErrNoCgo

// skipDirs are never source of the project under analysis.
var skipDirs = map[string]bool{".git": true, "venv": true, ".venv": true, "env": true, "node_modules": true,
	"__pycache__": true, "site-packages": true, ".tox": true, ".mypy_cache": true, ".pytest_cache": true, "build": true, "dist": true}

// Analyze parses every .py file under dir, builds the Flask model and runs
// the rules. Findings carry paths relative to dir.
func Analyze(ctx context.Context, dir string) (*flask.Project, []finding.Finding, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("source directory: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("source directory: %s is not a directory", dir)
	}
	paths, err := pythonFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	files, warnings, err := ParseFiles(ctx, dir, paths)
	if err != nil {
		return nil, nil, err
	}
	proj := flask.Build(files)
	proj.Warnings = append(warnings, proj.Warnings...)
	fs := Check(proj)
	return proj, fs, nil
}

// Check runs every rule over a model and applies inline suppressions.
func Check(proj *flask.Project) []finding.Finding {
	pass := rules.NewPass(proj)
	for _, r := range rules.All() {
		r.Run(pass)
	}
	out := pass.Findings
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

func pythonFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // unreadable subdirectory: skip it
		}
		if d.IsDir() {
			if p != dir && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".py") && d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	sort.Strings(out)
	return out, nil
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
