package rules

// Known defaults accepted as credentials. A setting shipped with a
// placeholder value ("INSECURE_DEFAULT_CHANGE_ME", "change-me", "your-key")
// that a request value is compared with is a credential everyone who has
// read the code holds, for every deployment that does not replace it: a
// bypass key, an admin token, a webhook secret. The compare may be
// constant-time; the weakness is the value. A default the app refuses to
// run with (if KEY == "change-me": raise) is not reported.

import (
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/static/flask"
	"github.com/authprobe/authprobe/internal/static/python"
)

// settingName is the name of the setting an expression reads:
// config["K"], config.get("K"), settings.K, or a module constant K.
func settingName(n *python.Node) string {
	n = n.Unparen()
	switch n.Kind {
	case "subscript":
		k, _ := n.ChildByField("subscript").StringValue()
		return k
	case "call":
		if fn := n.ChildByField("function"); fn.Kind == "attribute" && fn.ChildByField("attribute").Text() == "get" {
			k, _ := positional(n, 0).StringValue()
			return k
		}
	case "attribute":
		return n.ChildByField("attribute").Text()
	case "identifier":
		return n.Text()
	}
	return ""
}

// knownDefault is the placeholder literal the setting read by sec takes
// when nothing replaces it, or nil.
func (ps *Pass) knownDefault(sec *python.Node) *python.Node {
	p := ps.Project
	sec = unwrapCodec(sec.Unparen())
	// A named setting (CONSTANT_CASE): a literal written at the compare,
	// or a lower-case field, is data the code checks for, not a default.
	k := settingName(sec)
	if k == "" || k != strings.ToUpper(k) || strings.ToLower(k) == k {
		return nil
	}
	cands := []flask.Value{p.Eval(sec)}
	{
		for _, e := range p.Config[k] {
			if e.File != nil || e.Value == nil || devConfig(e.Stmt) || ps.configLoadedNote(e.Stmt, k) != "" {
				continue
			}
			cands = append(cands, p.Eval(e.Value))
		}
	}
	for _, v := range cands {
		s, node, ok := literalOf(v)
		if !ok || node == nil || !placeholder(s) && !knownDefaults[strings.ToLower(strings.TrimSpace(s))] || redacted(s) {
			continue
		}
		if refusedDefault(ps, s, node) != nil {
			continue
		}
		return node
	}
	return nil
}

// reportKnownDefault reports the placeholder default of the setting that
// request value req is checked against at cmp.
func (ps *Pass) reportKnownDefault(cmp, req, sec *python.Node) {
	lit := ps.knownDefault(sec)
	if lit == nil {
		return
	}
	flow := []finding.Step{step(lit, "source", "a placeholder default, in the published code")}
	flow = append(flow, ps.requestHandling(cmp)...)
	flow = append(flow, step(req, "step", "request data: "+ps.safeText(req)))
	flow = append(flow, step(cmp, "sink", "the request value is accepted when it equals the setting"))
	ps.ReportFlow("py.hardcoded-api-key", lit, finding.Firm,
		"a credential setting defaults to a placeholder that a request value is checked against ("+ps.safeText(sec)+"): unless every deployment replaces it, anyone who has read the code passes", flow, nil)
}
