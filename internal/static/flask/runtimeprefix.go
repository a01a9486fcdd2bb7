package flask

import (
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/static/python"
)

// Rules whose leading part is a setting read at run time:
//
//	_, APP_PREFIX = config.GetConfig("Server", "app_prefix")
//	@app.get(f"{APP_PREFIX}/api/handshake")
//	prefix = f'{cfg.GetConfig("Server", "app_prefix")[1]}/client'
//	url_prefix = os.getenv("URL_PREFIX", "") + "/api"
//
// The rest of the rule is constant; only the prefix depends on the
// deployment. While a rule is evaluated (p.rulePrefix set), such a leading
// part is taken at its default — the default the read names (getenv's
// second argument, default=/fallback=), else the one value a dict literal
// of the project gives the key the read names (a defaults table), else
// empty — and the declaration records the assumption (Decl.Assumed, JSON
// diagnostics.assumed). Only a read of a setting qualifies: a parameter or
// a value the model cannot compute keeps the rule unresolved.

// ruleAssumptions collects what one rule evaluation took for granted.
type ruleAssumptions struct {
	notes []string
}

// evalRuleAssuming evaluates a route rule, allowing a leading run-time
// setting; the assumptions made are added to the current declaration.
func (p *Project) evalRuleAssuming(eval func() Value) Value {
	prev := p.rulePrefix
	p.rulePrefix = &ruleAssumptions{}
	defer func() { p.rulePrefix = prev }()
	v := eval()
	if v.Kind == Str && len(p.rulePrefix.notes) > 0 {
		if d := p.curDecl; d != nil && d.Assumed == "" {
			d.Assumed = strings.Join(p.rulePrefix.notes, "; ")
		}
	}
	return v
}

// leadingSetting is the default taken for n, the leading part of a rule,
// when n reads a setting at run time; ok is false otherwise.
func (p *Project) leadingSetting(n *python.Node, depth int) (string, bool) {
	if p.rulePrefix == nil || depth > maxEvalDepth {
		return "", false
	}
	read, key, def, hasDef := p.settingRead(n, depth)
	if read == nil {
		return "", false
	}
	val, from := def, "its default in the read"
	if !hasDef {
		val, from = "", "empty"
		if key != "" {
			if s, at, ok := p.defaultsTable(key); ok {
				val, from = s, "the default "+at+" gives "+strings.TrimSpace(strQuote(key))
			}
		}
	}
	p.rulePrefix.notes = append(p.rulePrefix.notes, "the rule's prefix `"+short(n.Text())+"` is a setting read at run time (`"+
		short(read.Text())+"`, "+read.File.Path+":"+strconv.Itoa(read.Line)+"); taken as "+strQuote(val)+" ("+from+"): a deployment that sets it serves these routes under that prefix")
	return val, true
}

// settingDefault is the default an environment read names, taken for a
// part of a rule further in than its prefix ("/api/{}/".format(
// Config.API_VERSION) with API_VERSION = os.getenv("API_VERSION", "v2")):
// only while a rule is evaluated and only when the read names a default
// (an empty part would change the rule's shape). The assumption is noted
// like a prefix's.
func (p *Project) settingDefault(v Value, n *python.Node) (string, bool) {
	if p.rulePrefix == nil || v.Kind != Env || len(v.Items) == 0 || v.Items[0].Kind != Str {
		return "", false
	}
	def := v.Items[0].S
	p.rulePrefix.notes = append(p.rulePrefix.notes, "the rule's part `"+short(n.Text())+"` is a setting read at run time ("+
		strQuote(v.EnvName)+" in the environment); taken as its default "+strQuote(def)+": a deployment that sets it serves these routes there")
	return def, true
}

// settingRead reports whether n reads a setting at run time: an
// environment or config read, or a call whose arguments are all constant
// strings (cfg.GetConfig("Server", "app_prefix"), settings.get("prefix")),
// possibly indexed ([1]), possibly through names bound to it (also by
// tuple unpacking). key is the last constant string argument, def the
// default the read itself names.
func (p *Project) settingRead(n *python.Node, depth int) (read *python.Node, key, def string, hasDef bool) {
	n = n.Unparen()
	if n == nil || depth > 6 {
		return nil, "", "", false
	}
	switch n.Kind {
	case "identifier":
		m := p.ModuleOf(n)
		rhs := p.nameRHS(m, n, n.Text(), 0)
		if rhs == nil {
			rhs = unpackedFrom(m, n.Text())
		}
		if rhs == nil || rhs == n {
			return nil, "", "", false
		}
		if ParamOf(n) != nil && n.Ancestor("function_definition") != nil && isParam(n.Ancestor("function_definition"), n.Text()) {
			return nil, "", "", false // a parameter: its call sites decide
		}
		return p.settingRead(rhs, depth+1)
	case "subscript":
		val := n.ChildByField("value")
		if isConfigExpr(val) || val.DottedName() == "os.environ" || val.DottedName() == "environ" {
			k, _ := n.ChildByField("subscript").StringValue()
			return n, k, "", false
		}
		if _, isInt := n.ChildByField("subscript").IntValue(); isInt {
			return p.settingRead(val, depth+1)
		}
	case "call":
		v := p.eval(n, depth+1)
		if v.Kind == Env {
			if len(v.Items) > 0 && v.Items[0].Kind == Str {
				return n, v.EnvName, v.Items[0].S, true
			}
			return n, v.EnvName, "", false
		}
		args := n.ChildByField("arguments").NamedChildren()
		if len(args) == 0 || n.ChildByField("function").Kind != "attribute" {
			return nil, "", "", false
		}
		for _, a := range args {
			if a.Kind == "keyword_argument" {
				name := a.ChildByField("name").Text()
				if s, ok := a.ChildByField("value").StringValue(); ok && (name == "default" || name == "fallback") {
					def, hasDef = s, true
				}
				continue
			}
			s, ok := a.StringValue()
			if !ok {
				return nil, "", "", false
			}
			key = s
		}
		if key == "" {
			return nil, "", "", false
		}
		// cfg.get("prefix", "/x"): get's second argument is its default.
		if strings.HasSuffix(n.ChildByField("function").Text(), ".get") && len(args) == 2 && args[1].Kind != "keyword_argument" {
			def, hasDef = key, true
			key, _ = args[0].StringValue()
		}
		return n, key, def, hasDef
	}
	return nil, "", "", false
}

// unpackedFrom is the right side of a module-level tuple assignment that
// binds name (_, APP_PREFIX = cfg.GetConfig(...)).
func unpackedFrom(m *Module, name string) *python.Node {
	if m == nil {
		return nil
	}
	var out *python.Node
	for _, st := range m.File.Root.NamedChildren() {
		if st.Kind != "expression_statement" {
			continue
		}
		for _, a := range st.NamedChildren() {
			if a.Kind != "assignment" {
				continue
			}
			left := a.ChildByField("left")
			if left == nil || (left.Kind != "pattern_list" && left.Kind != "tuple_pattern") {
				continue
			}
			for _, id := range left.NamedChildren() {
				if id.Kind == "identifier" && id.Text() == name {
					out = a.ChildByField("right")
				}
			}
		}
	}
	return out
}

// defaultsTable is the one string value dict literals of the project give
// key ({"app_prefix": ""} in a defaults table), with where.
func (p *Project) defaultsTable(key string) (string, string, bool) {
	if p.dictDefaults == nil {
		p.dictDefaults = map[string]string{}
		p.dictDefaultVals = map[string]map[string]bool{}
		for _, m := range p.Modules {
			for _, dict := range m.File.OfKind("dictionary") {
				for _, pair := range dict.NamedChildren() {
					if pair.Kind != "pair" {
						continue
					}
					k, ok := pair.ChildByField("key").StringValue()
					if !ok {
						continue
					}
					s, ok := pair.ChildByField("value").StringValue()
					if !ok {
						continue
					}
					if p.dictDefaultVals[k] == nil {
						p.dictDefaultVals[k] = map[string]bool{}
					}
					p.dictDefaultVals[k][s] = true
					if _, seen := p.dictDefaults[k]; !seen {
						p.dictDefaults[k] = m.File.Path + ":" + strconv.Itoa(pair.Line)
					}
				}
			}
		}
	}
	vals := p.dictDefaultVals[key]
	if len(vals) != 1 {
		return "", "", false
	}
	for s := range vals {
		return s, p.dictDefaults[key], true
	}
	return "", "", false
}

func strQuote(s string) string { return "\"" + s + "\"" }
