package reqbody

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"sort"
)

// Upload is a harmless file of the kind a handler reads from an upload
// (request.files): valid enough for the library the handler opens it with
// to parse, and carrying nothing but the word authprobe.
type Upload struct {
	Name, Type string
	Data       []byte
}

// FileOf is the harmless file of a kind ("docx", "yaml", "json", "csv",
// "xml", "png", else plain text).
func FileOf(kind string) Upload {
	switch kind {
	case "docx":
		return Upload{"authprobe.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx()}
	case "yaml":
		return Upload{"authprobe.yaml", "application/x-yaml", []byte("authprobe: 1\n")}
	case "json":
		return Upload{"authprobe.json", "application/json", []byte(`{"authprobe": 1}`)}
	case "csv":
		return Upload{"authprobe.csv", "text/csv", []byte("name,value\nauthprobe,1\n")}
	case "xml":
		return Upload{"authprobe.xml", "application/xml", []byte(`<?xml version="1.0"?><authprobe>1</authprobe>`)}
	case "png":
		return Upload{"authprobe.png", "image/png", png1x1()}
	}
	return Upload{"authprobe.txt", "text/plain", []byte("authprobe\n")}
}

// Multipart encodes fields (as text parts) and one harmless file per
// entry of files (field → kind), sorted by name; it returns the body and
// its Content-Type with the boundary.
func Multipart(fields map[string]any, files map[string]string) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range sortedKeys(fields) {
		if _, file := files[k]; file {
			continue
		}
		_ = w.WriteField(k, fmt.Sprint(fields[k]))
	}
	names := make([]string, 0, len(files))
	for k := range files {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		up := FileOf(files[k])
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, k, up.Name))
		h.Set("Content-Type", up.Type)
		part, err := w.CreatePart(h)
		if err == nil {
			_, _ = part.Write(up.Data)
		}
	}
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// docx is the smallest WordprocessingML package python-docx and Word
// open: one paragraph saying authprobe.
func docx() []byte {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>authprobe</w:t></w:r></w:p></w:body></w:document>`},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err == nil {
			_, _ = f.Write([]byte(p.body))
		}
	}
	_ = z.Close()
	return buf.Bytes()
}

// png1x1 is a one-pixel grey PNG.
func png1x1() []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	return buf.Bytes()
}

// Encode is a write's body as the handler reads it: multipart/form-data
// with files (field → kind), a urlencoded form when form, else JSON.
func Encode(body map[string]any, form bool, files map[string]string) ([]byte, string) {
	switch {
	case len(files) > 0:
		return Multipart(body, files)
	case form:
		v := url.Values{}
		for k, x := range body {
			v.Set(k, fmt.Sprint(x))
		}
		return []byte(v.Encode()), "application/x-www-form-urlencoded"
	}
	data, _ := json.Marshal(body)
	return data, "application/json"
}
