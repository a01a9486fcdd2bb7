//go:build cgo

package static

import (
	"context"
	"testing"

	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// FuzzModel feeds arbitrary bytes through the parser, the Flask model and
// every rule: whatever the input, no panic and no hang.
func FuzzModel(f *testing.F) {
	seeds := []string{
		"from flask import Flask\napp = Flask(__name__)\n@app.route('/a/<int:x>', methods=['GET'])\ndef a(x):\n    return x\n",
		"import jwt\nK=''\ndef f(t):\n    return jwt.decode(t, K, options={'verify_signature': False})\n",
		"def route(p, v, n):\n    app.add_url_rule(p, n, v)\nfor p, n in [('/a', 'a')]:\n    route(p, None, n)\n",
		"@app.before_request\ndef g():\n    if request.endpoint not in {'x'}:\n        return\n    abort(401)\n",
		"def f(a=f(a)):\n    x = x\n    return f(x)\nclass C(C): pass\n",
		"app.register_blueprint(app)\nbp = Blueprint('b', __name__)\nbp.register_blueprint(bp)\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	parser, err := python.NewParser()
	if err != nil {
		f.Fatal(err)
	}
	defer parser.Close()
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := parser.Parse(context.Background(), "app.py", src)
		if err != nil {
			t.Fatal(err)
		}
		proj := flask.Build([]*python.File{file})
		for _, fd := range Check(proj) {
			if fd.Location == nil || fd.Location.Line < 1 || len(fd.CWE) == 0 {
				t.Fatalf("malformed finding %+v", fd)
			}
		}
	})
}
