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

// TestQuartRoutes: Quart is Flask's API on asyncio; its app, blueprints
// (url_prefix, a nested registration in a factory), verb decorators and
// add_url_rule resolve as Flask's, and its before_request hook gates.
func TestQuartRoutes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"shop/__init__.py": `from quart import Quart

from shop.views import bp


def create_app():
    app = Quart(__name__)
    app.register_blueprint(bp, url_prefix="/api")
    return app
`,
		"shop/views.py": `from quart import Blueprint, abort, jsonify, request

bp = Blueprint("shop", __name__)
KEYS = {"k"}


@bp.before_request
async def gate():
    if request.headers.get("X-Api-Key") not in KEYS:
        abort(401)


@bp.get("/items/<int:item_id>")
async def item(item_id):
    return jsonify(id=item_id)


async def health():
    return "ok"


bp.add_url_rule("/health", view_func=health, methods=["GET", "HEAD"])
`,
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, r := range proj.Routes {
		have = append(have, strings.Join(r.Methods, ",")+" "+r.Path+" "+r.Policy)
	}
	sort.Strings(have)
	want := "GET /api/items/{item_id} api-key; GET,HEAD /api/health api-key"
	if got := strings.Join(have, "; "); got != want {
		t.Errorf("routes %q, want %q", got, want)
	}
}
