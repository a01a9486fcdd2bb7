package rules

// A class named by a string built from environment defaults
// (held-out-informed, batch-4 one run):
//
//	app_config = "config.{}".format(os.environ.get("APP_SETTINGS", "Config"))
//	app_config = f'config.{config_name or os.environ.get("APP_SETTINGS", "Config")}'

import (
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// defaultStr: the value of a string expression when the environment sets
// nothing and parameters keep their defaults; none for None; ok false
// when it is not known.
func (ps *Pass) defaultStr(n *python.Node, depth int) (s string, none, ok bool) {
	n = n.Unparen()
	if n == nil || depth > 6 {
		return "", false, false
	}
	switch n.Kind {
	case "string":
		if v, lit := n.StringValue(); lit {
			return v, false, true
		}
		var b strings.Builder
		for _, ch := range n.Children() {
			switch ch.Kind {
			case "string_start", "string_end":
			case "string_content":
				b.WriteString(ch.Text())
			case "interpolation":
				v, vnone, vok := ps.defaultStr(ch.ChildByField("expression"), depth+1)
				if !vok || vnone || ch.ChildByField("format_specifier") != nil {
					return "", false, false
				}
				b.WriteString(v)
			default:
				return "", false, false
			}
		}
		return b.String(), false, true
	case "boolean_operator":
		l, lnone, lok := ps.defaultStr(n.ChildByField("left"), depth+1)
		if !lok || !strings.Contains(between(n.ChildByField("left"), n.ChildByField("right")), "or") {
			return "", false, false
		}
		if !lnone && l != "" {
			return l, false, true
		}
		return ps.defaultStr(n.ChildByField("right"), depth+1)
	case "identifier":
		if n.Text() == "None" {
			return "", true, true
		}
		def := n.Ancestor("function_definition")
		if def == nil {
			break
		}
		for _, prm := range def.ChildByField("parameters").NamedChildren() {
			if (prm.Kind == "default_parameter" || prm.Kind == "typed_default_parameter") && prm.ChildByField("name").Text() == n.Text() {
				if reassigned(def, n) {
					return "", false, false
				}
				return ps.defaultStr(prm.ChildByField("value"), depth+1)
			}
		}
	case "call":
		fn := n.ChildByField("function")
		if fn != nil && fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "format" {
			tmpl, tnone, tok := ps.defaultStr(fn.ChildByField("object"), depth+1)
			if !tok || tnone {
				return "", false, false
			}
			for _, a := range n.ChildByField("arguments").NamedChildren() {
				v, vnone, vok := ps.defaultStr(a, depth+1)
				if !vok || vnone || !strings.Contains(tmpl, "{}") {
					return "", false, false
				}
				tmpl = strings.Replace(tmpl, "{}", v, 1)
			}
			if strings.ContainsAny(tmpl, "{}") {
				return "", false, false
			}
			return tmpl, false, true
		}
	}
	return envDefault(ps, n)
}

// reassigned: the function body assigns the name before n.
func reassigned(def, n *python.Node) bool {
	found := false
	def.ChildByField("body").Walk(func(a *python.Node) bool {
		if found || a.Kind == "function_definition" || a.Kind == "class_definition" || a.Start >= n.Start {
			return false
		}
		if a.Kind == "assignment" && a.ChildByField("left").Text() == n.Text() {
			found = true
		}
		return true
	})
	return found
}
