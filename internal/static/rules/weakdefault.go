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

// mustChange are the words of a value written to be replaced
// ("INSECURE_DEFAULT_CHANGE_ME", "replace-with-your-token").
var mustChange = []string{"changeme", "change_me", "change-me", "changethis", "change_this", "change-this", "changeit",
	"insecure", "replaceme", "replace_me", "replace-me", "replace-with", "replace_with", "your-", "your_", "placeholder", "fixme"}

// placeholderDefault: s is written to be replaced, or is a well-known
// default secret.
func placeholderDefault(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if knownDefaults[l] {
		return true
	}
	for _, w := range mustChange {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// knownDefault is the placeholder literal the setting read by sec takes
// when nothing replaces it, or nil. The compare must be about a
// credential: the setting or the request field is named as one
// (MODE = "test" compared with request.args["env"] is a mode, not a key).
func (ps *Pass) knownDefault(sec, req *python.Node) *python.Node {
	p := ps.Project
	sec = unwrapCodec(sec.Unparen())
	// A named setting (CONSTANT_CASE): a literal written at the compare,
	// or a lower-case field, is data the code checks for, not a default.
	k := settingName(sec)
	if k == "" || k != strings.ToUpper(k) || strings.ToLower(k) == k {
		return nil
	}
	if _, cred := credentialRead(p, req, 0); !cred && !secretWord(k) {
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
		if !ok || node == nil || !placeholderDefault(s) || redacted(s) {
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
	lit := ps.knownDefault(sec, req)
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
