package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestUploads: the files a handler reads from request.files, with the
// kind its code opens them as, and the form fields sent beside them; a
// handler reading JSON and no file has no uploads.
func TestUploads(t *testing.T) {
	dir := t.TempDir()
	app := `import csv, io, yaml
from flask import Flask, request
from docx import Document
from PIL import Image
app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_rows():
    up = request.files.get("rows")
    return str(len(list(csv.reader(io.StringIO(up.read().decode())))))


@app.post("/reports")
def report():
    f = request.files["report"]
    doc = Document(f)
    return request.form["title"] + doc.paragraphs[0].text


@app.post("/avatar")
def avatar():
    Image.open(request.files["picture"].stream).verify()
    return "ok"


@app.post("/config")
def config():
    return yaml.safe_load(request.files["cfg"].read())["name"]


@app.post("/notes")
def notes():
    attachment = request.files.get("attachment")
    return request.get_json()["text"] + attachment.filename


@app.post("/plain")
def plain():
    return request.get_json()["text"]
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := Bodies(proj)
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	for key, want := range map[string]string{
		"POST /import":  `{"rows":"csv"}`,
		"POST /reports": `{"report":"docx"}`,
		"POST /avatar":  `{"picture":"png"}`,
		"POST /config":  `{"cfg":"yaml"}`,
		"POST /notes":   `{"attachment":""}`,
	} {
		b, ok := got[key]
		if !ok || enc(b.Files) != want || !b.Form {
			t.Errorf("%s: files %s (form %v), want %s", key, enc(b.Files), b.Form, want)
		}
	}
	if b := got["POST /reports"]; enc(b.Value) != `{"title":"authprobe"}` {
		t.Errorf("the form field beside the upload: %s", enc(b.Value))
	}
	if b := got["POST /plain"]; len(b.Files) != 0 || b.Form {
		t.Errorf("a JSON handler has uploads: %+v", b)
	}
}
