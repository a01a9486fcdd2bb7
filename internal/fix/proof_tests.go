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

// maxBisect is the most patched findings whose changes are tested one by
// one when the whole patch breaks the suite.
const maxBisect = 10

// ProveTests runs the test command on an unpatched and on the patched copy:
// `fixed` for every patched finding when the patched suite passes or fails
// exactly as the unpatched one. When the patch brings new failures, each
// finding's change is tested alone on a fresh copy; a change that breaks
// the suite by itself leaves the patch (the finding is listed with the
// failures as its reason), and the rest is tested again as one patch,
// rewritten into patched.
func (pl *Plan) ProveTests(ctx context.Context, cmd, unpatched, patched string, env []string, limit time.Duration) error {
	before, err := runTests(ctx, unpatched, cmd, env, limit)
	if err != nil {
		return err
	}
	after, err := runTests(ctx, patched, cmd, env, limit)
	if err != nil {
		return err
	}
	st, why := judgeTests(before, after)
	if st == Failed && pl.own() == 1 {
		// The patch is one change: it breaks the suite by itself.
		for i := range pl.Fixes {
			if fx := &pl.Fixes[i]; fx.Patched && fx.coveredBy == "" {
				pl.drop(fx, "its change breaks the project's tests ("+why+")")
			}
		}
		return pl.rebuild()
	}
	if st == Failed {
		dropped, err := pl.bisectTests(ctx, cmd, unpatched, env, limit, before)
		if err != nil {
			return err
		}
		if dropped && pl.Patched() > 0 {
			if err := pl.rewrite(unpatched, patched); err != nil {
				return err
			}
			if after, err = runTests(ctx, patched, cmd, env, limit); err != nil {
				return err
			}
			st, why = judgeTests(before, after)
		}
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

// judgeTests compares the patched run with the unpatched one.
func judgeTests(before, after testRun) (Status, string) {
	switch {
	case !before.ok && before.missing != "" && !after.ok && after.missing == before.missing:
		return NotRun, "the test suite cannot run here (No module named '" + before.missing + "'), before or after the patch"
	case after.ok:
		return Fixed, ""
	case before.ok:
		return Failed, "the suite passes unpatched and fails patched: " + strings.Join(after.failures, ", ")
	case !slices.Equal(before.failures, after.failures):
		return Failed, fmt.Sprintf("failures differ: unpatched %v, patched %v", before.failures, after.failures)
	}
	return Fixed, "the suite fails the same way unpatched and patched"
}

// bisectTests tests each patched finding's change alone and takes out of
// the patch those that break the suite by themselves.
func (pl *Plan) bisectTests(ctx context.Context, cmd, unpatched string, env []string, limit time.Duration, before testRun) (bool, error) {
	var own []int
	for i, fx := range pl.Fixes {
		if fx.Patched && fx.coveredBy == "" {
			own = append(own, i)
		}
	}
	if len(own) > maxBisect {
		return false, nil
	}
	dropped := false
	for _, i := range own {
		fx := &pl.Fixes[i]
		dir, err := os.MkdirTemp("", "authprobe-fix-one-")
		if err != nil {
			return false, err
		}
		one, err := Copy(unpatched, dir, "copy")
		if err == nil {
			err = writeEdits(one, pl.Old, fx.Edits)
		}
		var r testRun
		if err == nil {
			r, err = runTests(ctx, one, cmd, env, limit)
		}
		os.RemoveAll(dir)
		if err != nil {
			return false, err
		}
		if st, why := judgeTests(before, r); st == Failed {
			pl.drop(fx, "its change breaks the project's tests ("+why+")")
			dropped = true
		}
	}
	if dropped {
		return true, pl.rebuild()
	}
	return false, nil
}

// drop takes a finding's change out of the patch, and the findings it
// covered with it.
func (pl *Plan) drop(fx *Fix, why string) {
	fp := fx.Finding.Fingerprint
	fx.Patched, fx.Edits, fx.Env, fx.What, fx.Reason = false, nil, nil, "", why
	fx.Proofs = notRun
	for i := range pl.Fixes {
		if pl.Fixes[i].coveredBy == fp {
			pl.Fixes[i].uncover("the change that closed it breaks the project's tests")
		}
	}
}

// writeEdits writes the files of old with edits applied into dir.
func writeEdits(dir string, old map[string][]byte, edits []Edit) error {
	byFile := map[string][]Edit{}
	for _, e := range edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for name, es := range byFile {
		out, err := apply(old[name], dedupe(es))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), out, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// rewrite makes patched a fresh copy of unpatched with the current patch.
func (pl *Plan) rewrite(unpatched, patched string) error {
	if err := os.RemoveAll(patched); err != nil {
		return err
	}
	if _, err := Copy(unpatched, filepath.Dir(patched), filepath.Base(patched)); err != nil {
		return err
	}
	return pl.WriteTo(patched)
}

// own counts the patched findings with a change of their own.
func (pl *Plan) own() int {
	n := 0
	for _, fx := range pl.Fixes {
		if fx.Patched && fx.coveredBy == "" {
			n++
		}
	}
	return n
}
