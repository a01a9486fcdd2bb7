package source

import (
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// argsRoot: an expression that is the request's query string.
func argsRoot(n *python.Node) bool {
	if n.Kind != "attribute" {
		return false
	}
	t := n.Text()
	return t == "request.args" || t == "flask.request.args"
}

// Queries returns, per "METHOD /path" of a write route, the query
// parameters its handler reads (request.args.get("new_price")), with
// placeholders by name: a write whose new value travels in the URL
// (PATCH /update-price/<id>?new_price=...) carries them.
func Queries(proj *flask.Project) map[string]map[string]any {
	out := map[string]map[string]any{}
	if proj == nil {
		return out
	}
	for _, r := range proj.Routes {
		if r.Def == nil {
			continue
		}
		v := readBody(r.Def, argsRoot)
		if len(v) == 0 {
			continue
		}
		path, _ := inventory.FlaskRule(r.Rule)
		for _, m := range r.Methods {
			m = strings.ToUpper(m)
			if m != "GET" && m != "HEAD" && m != "OPTIONS" {
				out[m+" "+path] = v
			}
		}
	}
	return out
}
