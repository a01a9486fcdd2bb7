//go:build cgo

package static

import (
	"context"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

// TestUnappliedDecoratorIsCounterFact: a token check inside a decorator
// nothing applies runs for no request, so its finding is a review item
// (low); the same decorator applied keeps it medium+. Another shape than
// the batch-6 members it came from (@wraps(f) wrappers with a `not in`
// key list, a swallowed JWT error): a wrapper without @wraps, a `!=`
// compare of a header with a configured token, applied in the twin by a
// call (app.add_url_rule(..., view_func=require_token(report))), not
// with @.
func TestUnappliedDecoratorIsCounterFact(t *testing.T) {
	deco := "import os\n\nfrom flask import request, abort\n\nTOKEN = os.environ[\"REPORT_TOKEN\"]\n\n\ndef require_token(view):\n    def inner(*args, **kwargs):\n        if request.headers.get(\"X-Report-Token\") != TOKEN:\n            abort(401)\n        return view(*args, **kwargs)\n    return inner\n"
	app := "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef report():\n    return \"report\"\n\n\n"
	for name, c := range map[string]struct {
		app  string
		want bool // medium+ at guard.py:10
	}{
		"unapplied": {app + "app.add_url_rule(\"/report\", view_func=report)\n", false},
		"applied":   {"from guard import require_token\n" + app + "app.add_url_rule(\"/report\", view_func=require_token(report))\n", true},
	} {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"guard.py": deco, "app.py": c.app})
		_, fs, err := Analyze(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		seen, high := false, false
		for _, f := range fs {
			if f.Location != nil && f.Location.File == "guard.py" && f.Location.Line == 10 {
				seen = true
				high = high || f.Severity.Rank() >= finding.Medium.Rank()
			}
		}
		if !seen {
			t.Errorf("%s: no finding at guard.py:10: %v", name, fs)
		}
		if high != c.want {
			t.Errorf("%s: medium+ at guard.py:10 = %v, want %v", name, high, c.want)
		}
	}
}
