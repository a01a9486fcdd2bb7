package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// filesRoot: an expression that is the request's uploads.
func filesRoot(n *python.Node) bool {
	if n.Kind != "attribute" {
		return false
	}
	t := n.Text()
	return t == "request.files" || t == "flask.request.files"
}

// uploads are the files a handler reads from request.files
// (request.files["file"], .get("doc")), each with the kind of file the
// handler opens (uploadKind); nil when it reads none.
func uploads(def *python.Node) map[string]string {
	names := readBody(def, filesRoot)
	if len(names) == 0 {
		return nil
	}
	kind := uploadKind(def)
	out := make(map[string]string, len(names))
	for k := range names {
		out[k] = kind
	}
	return out
}

// readers name the kind of file a handler's call opens its upload as,
// first match wins: the parser the code feeds the file to, then an
// extension the code names.
var readers = []struct{ call, kind string }{
	{"Document(", "docx"}, {"docx.", "docx"},
	{"yaml.", "yaml"},
	{"csv.", "csv"}, {"read_csv(", "csv"},
	{"etree.", "xml"}, {"ElementTree", "xml"}, {"minidom.", "xml"}, {"xmltodict.", "xml"}, {"ET.parse(", "xml"}, {"ET.fromstring(", "xml"},
	{"Image.open(", "png"},
	{"json.load(", "json"}, {"json.loads(", "json"},
	{`".docx"`, "docx"}, {`'.docx'`, "docx"}, {`".yaml"`, "yaml"}, {`".yml"`, "yaml"}, {`".csv"`, "csv"},
	{`".xml"`, "xml"}, {`".png"`, "png"}, {`'.png'`, "png"}, {`".json"`, "json"},
}

// uploadKind is what the handler's calls say it parses its upload as,
// "" (plain text) when nothing does.
func uploadKind(def *python.Node) string {
	calls := map[string]bool{}
	def.Walk(func(n *python.Node) bool {
		switch n.Kind {
		case "call":
			calls[n.ChildByField("function").Text()+"("] = true
		case "string":
			calls[n.Text()] = true
		}
		return true
	})
	for _, r := range readers {
		for c := range calls {
			if strings.Contains(c, r.call) {
				return r.kind
			}
		}
	}
	return ""
}
