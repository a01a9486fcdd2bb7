package fix

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Python is the interpreter test commands run with (Debian's, as the labs).
const Python = "/usr/bin/python3"

// TestCommand returns the project's test command: pytest when the project
// has pytest tests and pytest is installed, `make test` when its Makefile
// has a test target, unittest discovery when it has test_*.py files; ""
// when none applies.
func TestCommand(dir string) string {
	hasTests, pytestCfg := false, false
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && path != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "venv") {
			return filepath.SkipDir
		}
		n := d.Name()
		switch {
		case n == "conftest.py" || n == "pytest.ini":
			pytestCfg = true
		case strings.HasSuffix(n, ".py") && (strings.HasPrefix(n, "test_") || strings.HasSuffix(n, "_test.py")):
			hasTests = true
		}
		return nil
	})
	if b, err := os.ReadFile(filepath.Join(dir, "Makefile")); err == nil && regexp.MustCompile(`(?m)^test:`).Match(b) {
		return "make test"
	}
	if (hasTests || pytestCfg) && exec.Command(Python, "-c", "import pytest").Run() == nil {
		return Python + " -m pytest -q -rfE -p no:cacheprovider"
	}
	if hasTests {
		return Python + " -m unittest discover -v"
	}
	return ""
}

// testRun is one run of the test command.
type testRun struct {
	ok       bool
	failures []string
	tail     string
	// missing is the first module the tests could not import.
	missing string
}

// missingModule matches Python's report of a module that is not installed.
var missingModule = regexp.MustCompile(`No module named '([^']+)'`)

// failureLine matches a failed test in pytest's -rfE summary and in
// unittest's output.
var failureLine = regexp.MustCompile(`(?m)^(?:FAILED|ERROR|FAIL:|ERROR:) +(\S+(?: \([^)]*\))?)`)

// runTests runs cmd in dir (sh -c) with env added, at most limit long.
func runTests(ctx context.Context, dir, cmd string, env []string, limit time.Duration) (testRun, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	c := exec.CommandContext(ctx, "sh", "-c", cmd)
	c.Dir = dir
	c.Env = append(os.Environ(), append([]string{"PYTHONDONTWRITEBYTECODE=1"}, env...)...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	if ctx.Err() != nil {
		return testRun{}, fmt.Errorf("tests: %q did not finish within %s", cmd, limit)
	}
	r := testRun{ok: err == nil}
	for _, m := range failureLine.FindAllStringSubmatch(out.String(), -1) {
		r.failures = append(r.failures, m[1])
	}
	if m := missingModule.FindStringSubmatch(out.String()); m != nil {
		r.missing = m[1]
	}
	slices.Sort(r.failures)
	r.failures = slices.Compact(r.failures)
	s := out.String()
	r.tail = s[max(0, len(s)-2000):]
	return r, nil
}

// ProveTests runs the test command on an unpatched and on the patched copy:
// `fixed` for every patched finding when the patched suite passes or fails
// exactly as the unpatched one, `failed` otherwise.
func (pl *Plan) ProveTests(ctx context.Context, cmd, unpatched, patched string, env []string, limit time.Duration) error {
	before, err := runTests(ctx, unpatched, cmd, env, limit)
	if err != nil {
		return err
	}
	after, err := runTests(ctx, patched, cmd, env, limit)
	if err != nil {
		return err
	}
	st, why := Fixed, ""
	switch {
	case !before.ok && before.missing != "" && !after.ok && after.missing == before.missing:
		st, why = NotRun, "the test suite cannot run here (No module named '"+before.missing+"'), before or after the patch"
	case after.ok:
	case before.ok:
		st, why = Failed, "the suite passes unpatched and fails patched: "+strings.Join(after.failures, ", ")
	case !slices.Equal(before.failures, after.failures):
		st, why = Failed, fmt.Sprintf("failures differ: unpatched %v, patched %v", before.failures, after.failures)
	default:
		why = "the suite fails the same way unpatched and patched"
	}
	for i := range pl.Fixes {
		if fx := &pl.Fixes[i]; fx.Patched {
			fx.Proofs.Tests = st
			if why != "" {
				fx.note("tests: %s", why)
			}
		}
	}
	pl.TestLog = after.tail
	return nil
}
