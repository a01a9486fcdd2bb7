//go:build cgo

package static

import (
	"context"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/static/exact"
)

// TestExactReplacedWithDependents: models written for SQLAlchemy 2.0
// (Mapped, mapped_column) that the installed 1.4 cannot map raise the
// library's own ArgumentError inside it; sqlalchemy is replaced by a
// stand-in together with the installed library built on it
// (flask_sqlalchemy), so the app imports, and both are named. A locale the
// machine lacks keeps the current one and is named too. The twin, the
// same app with 1.4-style columns, imports with the real libraries and
// nothing replaced.
func TestExactReplacedWithDependents(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no Python process (make test runs exact mode)")
	}
	app := func(model string) map[string]string {
		return map[string]string{
			"shop/__init__.py": "import locale\n\nfrom flask import Flask\n\nfrom .models import db\n\nlocale.setlocale(locale.LC_TIME, \"xx_AUTHPROBE.utf8\")\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config[\"SQLALCHEMY_DATABASE_URI\"] = \"sqlite://\"\n    db.init_app(app)\n    app.add_url_rule(\"/orders\", \"orders\", lambda: \"[]\")\n    return app\n",
			"shop/models.py":   "from flask_sqlalchemy import SQLAlchemy\nfrom sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import Mapped, mapped_column\n\ndb = SQLAlchemy()\n\n\nclass Order(db.Model):\n    __tablename__ = \"orders\"\n" + model,
		}
	}
	dir := t.TempDir()
	writeTree(t, dir, app("    id: Mapped[int] = mapped_column(primary_key=True)\n"))
	inv, err := exact.Import(context.Background(), dir, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if rs := inv.Served(); len(rs) != 1 || rs[0].Rule != "/orders" {
		t.Fatalf("rules %+v", rs)
	}
	if got := strings.Join(inv.Replaced, " "); got != "flask_sqlalchemy sqlalchemy" {
		t.Errorf("replaced %q (stand-ins %q)", got, inv.StandIns())
	}
	if !strings.Contains(inv.StandIns(), "locale.setlocale('xx_AUTHPROBE.utf8')") {
		t.Errorf("stand-ins %q lack the locale", inv.StandIns())
	}
	twin := t.TempDir()
	writeTree(t, twin, app("    id = Column(Integer, primary_key=True)\n"))
	inv, err = exact.Import(context.Background(), twin, exact.Options{Python: labtest.Python})
	if err != nil {
		t.Fatalf("twin import: %v", err)
	}
	if len(inv.Replaced) != 0 || len(inv.Served()) != 1 {
		t.Errorf("twin: replaced %v, rules %+v", inv.Replaced, inv.Served())
	}
}
