package fix

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// fixStaleGate repairs a before_request gate's endpoint list that names a
// view that does not exist: the stale name (the string at the finding's
// column) becomes the endpoint of the route the finding names as related,
// when that route's endpoint is its function's name (an @app route with no
// endpoint=).
func fixStaleGate(s *site) (*attempt, string) {
	var stale *python.Node
	for _, str := range s.onLine("string") {
		if str.Line == s.line && (s.col == 0 || str.Col()+1 == s.col || str.Col() == s.col) && str.Parent != nil &&
			(str.Parent.Kind == "set" || str.Parent.Kind == "list" || str.Parent.Kind == "tuple") {
			stale = str
			break
		}
	}
	if stale == nil {
		return nil, "no endpoint name in a set or list at " + s.f.Location.String()
	}
	var endpoint string
	for _, rel := range s.f.Related {
		if rel.File != s.f.Location.File {
			continue
		}
		for _, def := range s.file.OfKind("decorated_definition") {
			fn := def.ChildByField("definition")
			if fn == nil || fn.Kind != "function_definition" || fn.Line != rel.Line && def.Line != rel.Line {
				continue
			}
			for _, d := range decorators(def) {
				if isRouteDecorator(d) && strings.HasPrefix(d.Text(), "@app.") && !strings.Contains(d.Text(), "endpoint=") {
					endpoint = fn.ChildByField("name").Text()
				}
			}
		}
	}
	if endpoint == "" {
		return nil, "the route the gate means is not an @app route whose endpoint is its function name"
	}
	if v, _ := stale.StringValue(); v == endpoint {
		return nil, "the gate already names " + endpoint
	}
	return &attempt{edits: []Edit{{Start: stale.Start, End: stale.End, New: quote(endpoint)}},
		what: "the gate names the existing endpoint " + quote(endpoint)}, ""
}
