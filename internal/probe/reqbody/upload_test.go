package reqbody

import (
	"archive/zip"
	"bytes"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"strings"
	"testing"
)

// TestUploadFiles: each kind's file is what its parser reads (a .docx
// package with a document part, a decodable PNG), and a multipart body
// carries the text fields and one file part per upload with its type.
func TestUploadFiles(t *testing.T) {
	d := FileOf("docx")
	z, err := zip.NewReader(bytes.NewReader(d.Data), int64(len(d.Data)))
	if err != nil {
		t.Fatalf("docx is not a zip: %v", err)
	}
	found := false
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			found = strings.Contains(string(b), "<w:t>authprobe</w:t>")
		}
	}
	if !found || !strings.HasSuffix(d.Name, ".docx") {
		t.Fatalf("docx lacks its paragraph: %+v", z.File)
	}
	if _, err := png.Decode(bytes.NewReader(FileOf("png").Data)); err != nil {
		t.Fatalf("png does not decode: %v", err)
	}
	if out := os.Getenv("AUTHPROBE_UPLOAD_DUMP"); out != "" {
		_ = os.WriteFile(out, d.Data, 0o644) // checked by hand with python-docx
	}
	body, ctype := Encode(map[string]any{"title": "authprobe", "file": "x"}, true, map[string]string{"file": "yaml"})
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q", ctype)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	form, err := r.ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if form.Value["title"][0] != "authprobe" || len(form.Value["file"]) != 0 {
		t.Fatalf("fields %v", form.Value)
	}
	fh := form.File["file"]
	if len(fh) != 1 || fh[0].Filename != "authprobe.yaml" || fh[0].Header.Get("Content-Type") != "application/x-yaml" {
		t.Fatalf("file parts %+v", fh)
	}
	if b, ct := Encode(map[string]any{"a": 1}, true, nil); string(b) != "a=1" || ct != "application/x-www-form-urlencoded" {
		t.Fatalf("form %q %q", b, ct)
	}
	if b, ct := Encode(map[string]any{"a": 1}, false, nil); string(b) != `{"a":1}` || ct != "application/json" {
		t.Fatalf("json %q %q", b, ct)
	}
}
