package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestBodiesOfDelegates: a view that only hands the request to a project
// function (of another module) or to a class's method named through the
// class reads the body that function reads.
func TestBodiesOfDelegates(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"app.py": `from flask import Flask
from services import notes
from handlers import Orders

app = Flask(__name__)


@app.route("/notes/new", methods=["POST"])
def new_note():
    return notes.create_note(app.logger)


@app.route("/orders/cancel", methods=["POST"])
def cancel():
    result = Orders.cancel()
    return result


@app.route("/orders/ping", methods=["POST"])
def ping():
    return Orders.ping()
`,
		"services/__init__.py": "",
		"services/notes.py": `from flask import request, jsonify


def create_note(log):
    title = request.form["title"]
    return jsonify(title=title, tag=request.form.get("tag", ""))
`,
		"handlers.py": `from flask import request, jsonify


class Orders:
    @staticmethod
    def cancel():
        data = request.get_json()
        return jsonify(id=data["order_id"], why=data.get("reason"))

    @staticmethod
    def ping():
        return "pong"
`,
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := Bodies(proj)
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if b := got["POST /notes/new"]; enc(b.Value) != `{"tag":"authprobe","title":"authprobe"}` || !b.Form {
		t.Errorf("a module function's form: %s (form %v)", enc(b.Value), b.Form)
	}
	if b := got["POST /orders/cancel"]; enc(b.Value) != `{"order_id":1,"reason":"authprobe"}` || b.Form {
		t.Errorf("a class method's JSON: %s (form %v)", enc(b.Value), b.Form)
	}
	if b, ok := got["POST /orders/ping"]; ok {
		t.Errorf("a delegate that reads no body gave one: %s", enc(b.Value))
	}
}
