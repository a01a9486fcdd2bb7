package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestReadBodies: a GET whose view reads a JSON body (the object it acts
// on) is listed apart from the writes, a GET reading none or only its
// query string is not, and Bodies never lists a GET.
func TestReadBodies(t *testing.T) {
	dir := t.TempDir()
	app := `from flask import Flask, request, jsonify
app = Flask(__name__)


@app.route("/reminders/snooze", methods=["GET"])
def snooze():
    rid = request.get_json()["reminderId"]
    return jsonify(id=rid)


@app.get("/reminders")
def listing():
    return jsonify(page=request.args.get("page"))


@app.route("/reminders/new", methods=["GET", "POST"])
def new():
    return jsonify(text=request.json.get("text"))
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	reads, writes := ReadBodies(proj), Bodies(proj)
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if b, ok := reads["GET /reminders/snooze"]; !ok || enc(b.Value) != `{"reminderId":"authprobe"}` {
		t.Errorf("snooze: %s (listed %v)", enc(b.Value), ok)
	}
	if _, ok := reads["GET /reminders"]; ok {
		t.Error("a GET reading only its query string has no body")
	}
	if _, ok := reads["GET /reminders/new"]; !ok {
		t.Error("a view serving GET and POST reads its body on both")
	}
	if _, ok := writes["POST /reminders/new"]; !ok {
		t.Error("the POST of the same view is still a write's body")
	}
	for k := range writes {
		if strings.HasPrefix(k, "GET ") {
			t.Errorf("Bodies lists a GET: %s", k)
		}
	}
}
