package flask

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// resolver is the connexion resolver= an add_api call names.
type resolver struct {
	kind       string // "", "resty", "relative" or another resolver's name
	module     string
	collection string
}

func (p *Project) connexionResolver(n *python.Node) resolver {
	n = n.Unparen()
	if n != nil && n.Kind == "identifier" {
		// resolver = RestyResolver("api"); app.add_api(spec, resolver=resolver)
		if rhs := p.nameRHS(p.ModuleOf(n), n, n.Text(), 0); rhs != nil {
			n = rhs.Unparen()
		}
	}
	if n == nil || n.Kind != "call" {
		return resolver{}
	}
	name := n.ChildByField("function").DottedName()
	name = name[strings.LastIndex(name, ".")+1:]
	args := n.ChildByField("arguments")
	r := resolver{kind: name, module: p.strArg(args, 0, "default_module_name"), collection: "search"}
	switch name {
	case "RestyResolver":
		r.kind = "resty"
		if c := p.strArg(args, -1, "collection_endpoint_name"); c != "" {
			r.collection = c
		}
	case "MethodViewResolver", "MethodResolver":
		r.kind = "methodview"
	case "RelativeResolver":
		r.kind = "relative"
		r.module = p.strArg(args, 0, "root_path")
	}
	return r
}

// restyOperationID is RestyResolver's REST naming: GET /pets ->
// api.pets.search, GET /pets/{id} -> api.pets.get, POST /pets -> api.pets.post.
func restyOperationID(r resolver, ctrl, pth, verb string) string {
	var parts []string
	lastVar := false
	for _, c := range strings.Split(pth, "/") {
		if c == "" {
			continue
		}
		lastVar = strings.HasPrefix(c, "{") && strings.HasSuffix(c, "}")
		if !lastVar {
			parts = append(parts, strings.ReplaceAll(c, "-", "_"))
		}
	}
	resource := strings.Join(parts, ".")
	mod := r.module
	switch {
	case ctrl != "":
		mod = ctrl
	case resource != "":
		mod += "." + resource
	}
	fn := verb
	if verb == "get" && resource != "" && !lastVar {
		fn = r.collection
	}
	return mod + "." + fn
}

// camelize turns "foo_bar" into "FooBar".
func camelize(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
