//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestTestNamedFindingWeight: with --include-tests, a finding in a file
// named like a test that the app imports keeps its weight (it is app
// code); the same code in a test file nothing imports is "(test code)".
func TestTestNamedFindingWeight(t *testing.T) {
	dir := t.TempDir()
	decode := "import jwt\n\n\ndef claims(token):\n    return jwt.decode(token, 'k', options={'verify_signature': False})\n"
	files := map[string]string{
		"app.py":          "from flask import Flask\n\nfrom auth_tests import claims\n\napp = Flask(__name__)\n",
		"auth_tests.py":   decode,
		"decode_tests.py": decode,
	}
	for rel, src := range files {
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, include := range []bool{false, true} {
		_, fs, err := AnalyzeWith(context.Background(), dir, Options{IncludeTests: include})
		if err != nil {
			t.Fatal(err)
		}
		weight := map[string]string{}
		for _, f := range fs {
			if f.Location != nil && f.Severity.Rank() > finding.Info.Rank() {
				weight[f.Location.File] = string(f.Severity)
				if strings.Contains(f.Message, "(test code)") {
					weight[f.Location.File] += " test"
				}
			}
		}
		if w := weight["auth_tests.py"]; w == "" || w == string(finding.Low) || strings.HasSuffix(w, " test") {
			t.Errorf("include-tests %v: auth_tests.py (imported by app.py) weighs %q, want a full-weight finding", include, w)
		}
		want := ""
		if include {
			want = string(finding.Low) + " test"
		}
		if w := weight["decode_tests.py"]; w != want {
			t.Errorf("include-tests %v: decode_tests.py (imported by nothing) weighs %q, want %q", include, w, want)
		}
	}
}
