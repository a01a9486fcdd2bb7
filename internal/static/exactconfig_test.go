//go:build cgo

package static

import (
	"context"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/static/exact"
)

// TestExactConfigKey: an extension's init_app that requires a config key
// the project sets from an unset variable (Flask-SQLAlchemy's "Either
// 'SQLALCHEMY_DATABASE_URI' or 'SQLALCHEMY_BINDS' must be set.") gets the
// first key it names given a placeholder where the app's config holds
// None, and the result says so; with --no-stubs (the twin) the import
// fails on it.
func TestExactConfigKey(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"shop/__init__.py": "import os\n\nfrom flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\nclass Config:\n    SQLALCHEMY_DATABASE_URI = os.environ.get(\"AUTHPROBE_T_SHOP_DB\")\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_object(Config)\n    db.init_app(app)\n    app.add_url_rule(\"/orders\", \"orders\", lambda: \"[]\")\n    return app\n",
	})
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if rs := inv.Served(); len(rs) != 1 || rs[0].Rule != "/orders" {
		t.Fatalf("rules %+v", rs)
	}
	if got := strings.Join(inv.ConfigSet, " "); got != "SQLALCHEMY_DATABASE_URI" || !strings.Contains(inv.StandIns(), "app config set: SQLALCHEMY_DATABASE_URI") {
		t.Errorf("config set %q, stand-ins %q", got, inv.StandIns())
	}
	if _, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python, NoStubs: true}); err == nil || !strings.Contains(err.Error(), "SQLALCHEMY_DATABASE_URI") {
		t.Errorf("twin without stand-ins: %v", err)
	}
}
