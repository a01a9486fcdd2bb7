package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static"
)

// TestGETThatDeletes: a GET route whose handler deletes or overwrites a
// record says so (Changes), and SideEffect keeps it from being called; a
// GET that reads, logs a visit, or shares its function with a POST that
// writes does not.
func TestGETThatDeletes(t *testing.T) {
	app := `import os, sqlite3
from flask import Flask, request, jsonify
from models import db, Cafe, Visit
app = Flask(__name__)
@app.route("/report-closed/<cafe_id>")
def delete_cafe(cafe_id):
    if request.args.get("api_key") == "k":
        cafe = db.get_or_404(Cafe, cafe_id)
        db.session.delete(cafe)
        db.session.commit()
    return jsonify(ok=True)
@app.get("/purge/<int:n>")
def purge(n):
    Cafe.query.filter_by(id=n).delete()
    return "ok"
@app.get("/raw/<x>")
def raw(x):
    sqlite3.connect("a.db").execute("DELETE FROM cafes WHERE id = ?", (x,))
    return "ok"
@app.get("/all")
def all_cafes():
    db.session.add(Visit(path="/all"))
    db.session.commit()
    rows = sqlite3.connect("a.db").execute("SELECT * FROM cafes").fetchall()
    return jsonify(rows)
@app.route("/edit/<cafe_id>", methods=["GET", "POST"])
def edit(cafe_id):
    if request.method == "POST":
        db.session.delete(Cafe.query.get(cafe_id))
    return "form"
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"GET /report-closed/{cafe_id}": "session.delete at app.py:9",
		"GET /purge/{n}":               "query.delete at app.py:14",
		"GET /raw/{x}":                 "execute(DELETE ...) at app.py:18",
		"GET /all":                     "",
		"GET /edit/{cafe_id}":          "",
	}
	seen := 0
	for _, ep := range Endpoints(proj) {
		w, ok := want[ep.Key()]
		if !ok {
			continue
		}
		seen++
		_, side := inventory.SideEffect(ep)
		if w == "" && (ep.Changes != "" || side) || w != "" && (!strings.Contains(ep.Changes, w) || !side) {
			t.Errorf("%s: changes %q (side effect %v), want %q", ep.Key(), ep.Changes, side, w)
		}
	}
	if seen != len(want) {
		t.Errorf("saw %d of %d routes", seen, len(want))
	}
}
