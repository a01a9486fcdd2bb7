//go:build cgo

package static

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// asgiMiddlewareApps are ASGI apps gated by HTTP middleware, in two
// shapes: FastAPI's @app.middleware("http") function with an allow-list
// (a set of paths, a startswith prefix), and Starlette's add_middleware
// of a BaseHTTPMiddleware subclass whose dispatch refuses; the twin's
// middleware reads the same header but only logs it.
var asgiMiddlewareApps = map[string]string{
	"fastapimw/main.py": `from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

API_KEY = "k"
OPEN = {"/", "/health"}
app = FastAPI()


@app.middleware("http")
async def require_key(request: Request, call_next):
    if request.url.path in OPEN or request.url.path.startswith("/public/"):
        return await call_next(request)
    if request.headers.get("X-API-Key") != API_KEY:
        return JSONResponse({"detail": "no"}, status_code=401)
    return await call_next(request)


@app.get("/")
def root():
    return {}


@app.get("/health")
def health():
    return {}


@app.get("/public/news")
def news():
    return []


@app.get("/orders")
def orders():
    return []
`,
	"starlettemw/main.py": `from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class TokenGate(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        token = request.headers.get("X-Auth-Token")
        if token is None or token != "t":
            return Response("denied", status_code=403)
        return await call_next(request)


async def accounts(request):
    return JSONResponse([])


app = Starlette(routes=[Route("/accounts", accounts)])
app.add_middleware(TokenGate)
`,
	"requiresmw/main.py": `from starlette.applications import Starlette
from starlette.authentication import requires
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route

from backend import TokenBackend


@requires("authenticated")
async def dashboard(request):
    return JSONResponse({})


async def status(request):
    return JSONResponse({})


app = Starlette(routes=[Route("/dashboard", dashboard), Route("/status", status)],
                middleware=[Middleware(AuthenticationMiddleware, backend=TokenBackend())])
`,
	"twinmw/main.py": `import logging

from fastapi import FastAPI, Request

app = FastAPI()


@app.middleware("http")
async def log_key(request: Request, call_next):
    logging.info("key %s", request.headers.get("X-API-Key"))
    return await call_next(request)


@app.get("/orders")
def orders():
    return []
`,
}

// TestASGIMiddlewareGates: a refusing middleware gates every route of its
// app but those its allow-list names; one that only reads does not.
// Starlette's @requires on a listed view gates it (its policy unknown:
// the authentication backend decides which credential).
func TestASGIMiddlewareGates(t *testing.T) {
	root := t.TempDir()
	for name, src := range asgiMiddlewareApps {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"fastapimw":   "GET / public; GET /health public; GET /orders api-key; GET /public/news public",
		"starlettemw": "GET /accounts api-key",
		"twinmw":      "GET /orders public",
		"requiresmw":  "GET /dashboard unknown; GET /status public",
	}
	for dir, w := range want {
		proj, _, err := Analyze(context.Background(), filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, r := range proj.Routes {
			have = append(have, r.Methods[0]+" "+r.Path+" "+r.Policy)
		}
		sort.Strings(have)
		if got := strings.Join(have, "; "); got != w {
			t.Errorf("%s: %q, want %q", dir, got, w)
		}
	}
}
