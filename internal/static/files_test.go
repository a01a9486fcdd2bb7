package static

import "testing"

func TestIsTestPath(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"tests/test_api.py": true, "app/tests/helpers.py": true, "conftest.py": true, "app/test_views.py": true,
		"app/views_test.py": true, "testing/fixtures.py": true, "app/testimonials.py": false, "app/contest.py": false,
		"app/latest/views.py": false, "app/tests.py": true, "attest/app.py": false,
	}
	for path, want := range cases {
		if got := IsTestPath(path); got != want {
			t.Errorf("IsTestPath(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestExcluded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rel, pattern string
		want         bool
	}{
		{"legacy", "legacy", true},
		{"app/legacy", "legacy", true},
		{"app/models_pb2.py", "*_pb2.py", true},
		{"app/vendor/x.py", "app/vendor/*", true},
		{"app/vendor", "app/vendor", true},
		{"other/vendor/x.py", "app/vendor/*", false},
		{"docs/a/b.py", "docs/**", true},
		{"src/docs/b.py", "**/docs/*", true},
		{"app/views.py", "legacy", false},
	}
	for _, c := range cases {
		if _, got := excluded(c.rel, []string{c.pattern}); got != c.want {
			t.Errorf("excluded(%q, %q) = %v, want %v", c.rel, c.pattern, got, c.want)
		}
	}
}

// TestTestNamedAppCode: a file named like a test is the app's code only
// when a non-test file imports it and it holds no test code.
func TestTestNamedAppCode(t *testing.T) {
	t.Parallel()
	src := map[string]string{
		"app.py": "from flask import Flask\nfrom routes.devices_tests import bp\nimport lab.load_tests as lt\n" +
			"from pkg import (\n    a,\n    test_views,\n)\nfrom flask import jsonify\nx = helper_tests.run\n",
		"routes/devices_tests.py": "from flask import Blueprint\nbp = Blueprint('d', __name__)\n",
		"lab/load_tests.py":       "def f():\n    pass\n",
		"pkg/test_views.py":       "def v():\n    pass\n",
		// Named in app.py only outside an import statement.
		"helper_tests.py": "def run():\n    pass\n",
		// Imported, but test code (unittest's TestCase).
		"lab/api_test.py": "import unittest\nclass T(unittest.TestCase):\n    pass\n",
		"lab/views.py":    "from lab import api_test\n",
		// Imported only by a test file.
		"pkg/seed_tests.py": "def s():\n    pass\n",
		"pkg/smoke_test.py": "import pytest\nfrom pkg import seed_tests\n",
		// Under a tests directory: test code whoever imports it.
		"tests/helpers_test.py": "def h():\n    pass\n",
		// A package imports its own stats_test module relatively: not
		// lib/stats_test.py, which nothing imports.
		"e2e/__init__.py":         "from . import stats_test\n",
		"e2e/stats_test.py":       "def run():\n    pass\n",
		"lib/stats_test.py":       "def s():\n    pass\n",
		"web/__init__.py":         "from .api import orders_tests as ot\n",
		"web/api/orders_tests.py": "def o():\n    pass\n",
		// Test case classes and test doubles are test code.
		"lib/probe_test.py": "from unittest import mock\nclass ProbeTest(Base):\n    def test_x(self):\n        pass\n",
		"lib/case_tests.py": "class CaseTests(Base):\n    pass\n",
		"lib/__init__.py":   "from lib import probe_test, case_tests\n",
		// Imported only by a test harness (a runner importing unittest, a
		// base class of test cases), not by the app.
		"regression/test_setup.py": "config = {}\n",
		"regression/runtests.py":   "import unittest\nfrom regression.test_setup import config\n",
		"regression/sql_base.py":   "from regression import test_setup\nclass SQLTemplateTestBase(Base):\n    pass\n",
	}
	cands := []string{"routes/devices_tests.py", "lab/load_tests.py", "pkg/test_views.py", "helper_tests.py",
		"lab/api_test.py", "pkg/seed_tests.py", "pkg/smoke_test.py", "tests/helpers_test.py",
		"e2e/stats_test.py", "lib/stats_test.py", "web/api/orders_tests.py", "lib/probe_test.py", "lib/case_tests.py", "regression/test_setup.py"}
	others := []string{"app.py", "lab/views.py", "e2e/__init__.py", "web/__init__.py", "lib/__init__.py", "regression/runtests.py", "regression/sql_base.py"}
	got := testNamedAppCode(cands, others, func(rel string) []byte { return []byte(src[rel]) })
	want := map[string]string{"routes/devices_tests.py": "app.py", "lab/load_tests.py": "app.py", "pkg/test_views.py": "app.py",
		"e2e/stats_test.py": "e2e/__init__.py", "web/api/orders_tests.py": "web/__init__.py"}
	if len(got) != len(want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: imported by %q, want %q", k, got[k], v)
		}
	}
}
