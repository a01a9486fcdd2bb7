package fix

import (
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

const listSrc = `@app.get("/api/notes")
@login_required
def list_notes():
    return jsonify(notes=list(NOTES.values()))


@app.get("/api/todos")
@login_required
def list_todos():
    return jsonify([t for t in TODOS.values()])


@app.get("/api/tags")
@login_required
def list_tags():
    return jsonify(list(TAGS.values()))


@app.delete("/api/notes/<int:note_id>")
@login_required
def delete_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["user_id"] != g.user["id"]:
        return jsonify(msg="not found"), 404
    del NOTES[note_id]
    return "", 204


@app.post("/api/todos")
@login_required
def add_todo():
    TODOS[1] = {"owner": g.user["id"], "text": "x"}
    return "", 201
`

// TestCollection: a list view keeps only the caller's objects, by the
// owner check the code makes on the same store elsewhere (a comparison in
// a delete, the owner field a create stores); a store the code never
// matches to its caller is not filtered.
func TestCollection(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"/api/notes", `    return jsonify(notes=[obj for obj in NOTES.values() if obj["user_id"] == g.user["id"]])`},
		{"/api/todos", `    return jsonify([t for t in TODOS.values() if t["owner"] == g.user["id"]])`},
		{"/api/tags", ""},
	} {
		f := finding.Finding{Rule: "authz.collection-exposure", Source: "dynamic", Identity: "bob",
			Endpoint: &finding.Endpoint{Method: "GET", Path: c.path}, Location: &finding.Location{File: "app.py", Line: 1}}
		f.ComputeFingerprint()
		pl := makeIn(t, listSrc, f)
		fx := pl.Fixes[0]
		if c.want == "" {
			if fx.Patched || !strings.Contains(fx.Reason, "TAGS") {
				t.Errorf("%s: patched %v (%s), want unpatched naming TAGS", c.path, fx.Patched, fx.Reason)
			}
			continue
		}
		if !fx.Patched {
			t.Fatalf("%s: not patched: %s", c.path, fx.Reason)
		}
		if !strings.Contains(string(pl.New["app.py"]), c.want+"\n") {
			t.Errorf("%s: patched:\n%s\nwant the line\n%s", c.path, pl.New["app.py"], c.want)
		}
	}
}
