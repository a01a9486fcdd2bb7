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
