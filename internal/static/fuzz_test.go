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
		// The resolver's cycles: a partial of itself, a factory returning
		// its own call, self.app set from itself, import_module of a loop.
		"import functools\nr = functools.partial(r)\nr(r)\ndef f(x):\n    return f(x)\nb = f(b)\napp.register_blueprint(f(b))\n",
		"class S:\n    def __init__(self, app):\n        self.app = self.app\n        self.app = app\n    @self.app.route(f'/{x}')\n    def v(self):\n        pass\ns = S(s.app)\n",
		"import importlib\nfor n in ['a', n]:\n    importlib.import_module('p.' + n).setup(api, '%s/x' % n)\ndef setup(api, base, *urls):\n    for u in urls:\n        api.add_resource(R, '/'.join([base, u]))\n",
		"from fastapi import APIRouter, Depends, FastAPI, Header, Security\nfrom fastapi.security import APIKeyHeader\nfrom starlette.routing import Mount, Route\nh = APIKeyHeader(name=n)\ndef dep(k=Security(h), x: Alias = Header()):\n    dep(dep)\n    raise E(status_code=X)\nr = APIRouter(prefix=r.prefix, dependencies=[Depends(dep), Depends()])\nr.include_router(r, prefix=r)\napp = FastAPI(routes=[Mount(p, routes=app.routes), Route(x, self.v)])\napp.mount(app, app)\n@app.middleware('http')\nasync def m(request, call_next):\n    return m\n@r.api_route(f'{p}/x', methods=m)\ndef v(a: Annotated[A, Depends(v)]):\n    pass\napp.add_api_route(v, v)\n",
		"def resource(*urls, **kw):\n    def w(c):\n        api.add_resource(c, *urls, **kw)\n        return c\n    return w\n@resource('/a', endpoint=resource)\nclass R(R):\n    pass\n",
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
