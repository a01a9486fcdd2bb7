package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authprobe/authprobe/internal/finding"
)

// FingerprintKey names authprobe's fingerprint in SARIF partialFingerprints.
const FingerprintKey = "authprobeFingerprint/v1"

// WriteSARIF renders the result as SARIF 2.1.0 for code-scanning tools.
func WriteSARIF(w io.Writer, r *Result, opt Options) error {
	v := newView(r)
	all := append(append([]finding.Finding(nil), v.active...), v.suppressed...)
	finding.Sort(all)
	rules, index := sarifRules(all, opt)
	anchors := newSARIFAnchors(r, opt)
	results := make([]sarifResult, 0, len(all))
	for _, f := range all {
		res := sarifResultOf(f, index[f.Rule], anchors)
		res.Fixes = sarifFixesOf(r.Fixes, f.Fingerprint)
		results = append(results, res)
	}
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: r.Tool.Name, Version: r.Tool.Version,
			InformationURI: "https://github.com/authprobe/authprobe", Rules: rules,
		}},
		AutomationDetails: &sarifAutomation{ID: "authprobe/" + runKind(r) + "/"},
		Invocations:       []sarifInvocation{sarifInvocationOf(r)},
		Results:           results,
		Properties: map[string]any{
			"target": r.Target, "score": v.score, "grade": v.grade,
			"requests": r.Stats.Requests, "endpoints": r.Stats.Endpoints,
		},
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

func sarifInvocationOf(r *Result) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: !r.Incomplete, StartTimeUTC: started(r.StartedAt)}
	for _, s := range r.NotRun {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "note", Message: sarifText{Text: "not run: " + s}})
	}
	for _, s := range r.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "warning", Message: sarifText{Text: s}})
	}
	inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifDiagnostics(r.Diagnostics)...)
	return inv
}

// runKind is "scan" for a result that sent requests, "code" otherwise.
func runKind(r *Result) string {
	if r.Stats.Requests > 0 {
		return "scan"
	}
	return "code"
}

// sarifRules builds one rule per rule id present, sorted by id. Title,
// severity, tags and fix come from the findings themselves (as saved in the
// result, so a replay matches the original run); the long description comes
// from the catalog.
func sarifRules(fs []finding.Finding, opt Options) ([]sarifRule, map[string]int) {
	first := map[string]finding.Finding{}
	for _, f := range fs {
		if _, ok := first[f.Rule]; !ok {
			first[f.Rule] = f
		}
	}
	ids := make([]string, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, 0, len(ids))
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		rules = append(rules, sarifRuleOf(first[id], opt.description(id)))
	}
	return rules, index
}

func sarifRuleOf(f finding.Finding, desc string) sarifRule {
	title, fix, sev, cwe, owasp := f.Title, f.Remediation, f.Severity, f.CWE, f.OWASP
	if title == "" {
		title = f.Rule
	}
	tags := []string{"security"}
	for _, c := range cwe {
		tags = append(tags, "external/cwe/"+strings.ToLower(c))
	}
	for _, o := range owasp {
		tags = append(tags, "external/owasp/"+strings.ToLower(o))
	}
	rule := sarifRule{
		ID: f.Rule, Name: ruleName(f.Rule),
		ShortDescription:     sarifText{Text: title},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(sev)},
		Properties: map[string]any{
			"tags": tags, "security-severity": securitySeverity(sev), "precision": "high",
		},
	}
	if desc != "" {
		rule.FullDescription = &sarifText{Text: desc}
	}
	help := strings.TrimSpace(desc + "\n\nFix: " + fix)
	if fix == "" {
		help = desc
	}
	if help != "" {
		rule.Help = &sarifText{Text: help}
	}
	return rule
}

// ruleName turns "jwt.alg-none" into "JwtAlgNone", the form SARIF viewers
// show as the rule's friendly name.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		r, size := utf8.DecodeRuneInString(part)
		b.WriteString(string(unicode.ToUpper(r)) + part[size:])
	}
	return b.String()
}

// sarifLevel maps a severity to a level the schema allows.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's 0–10 scale: ≥9 critical, 7–8.9 high,
// 4–6.9 medium, 0.1–3.9 low.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "3.0"
	}
	return "0.0"
}

// artifactURI makes a relative URI reference of a source path.
func artifactURI(file string) string {
	p := filepath.ToSlash(file)
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
	}
	return u.String()
}
