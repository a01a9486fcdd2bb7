package report

import (
	"strings"
)

// Fix is the patch `authprobe fix` made (or could not make) for one
// finding, and its proofs: what fix.json lists and what SARIF and Markdown
// show as suggested fixes.
type Fix struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Patched     bool   `json:"patched"`
	// Reason says why the finding was not patched.
	Reason string `json:"reason,omitempty"`
	// Change says in one line what the patch does.
	Change string `json:"change,omitempty"`
	// Proofs maps static, tests and dynamic to fixed, still open, broke
	// login, failed or not run.
	Proofs FixProofs `json:"proofs"`
	// Proven is true when every proof that ran passed and at least one ran.
	Proven bool     `json:"proven"`
	Notes  []string `json:"notes,omitempty"`
	// Diff is the finding's hunks as a unified diff.
	Diff string `json:"diff,omitempty"`
	// Replacements are the finding's edits as whole-line replacements of
	// the unpatched file (SARIF artifactChanges, review suggestions).
	Replacements []Replacement `json:"replacements,omitempty"`
}

// FixProofs are the three proofs of a fix.
type FixProofs struct {
	Static  string `json:"static"`
	Tests   string `json:"tests"`
	Dynamic string `json:"dynamic"`
}

// Replacement replaces lines StartLine..EndLine of File (EndLine =
// StartLine-1: insert before StartLine) with Text.
type Replacement struct {
	File      string `json:"file"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Text      string `json:"text"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifLineRegion `json:"deletedRegion"`
	InsertedContent *sarifText      `json:"insertedContent,omitempty"`
}

type sarifLineRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

// sarifFixesOf returns the SARIF fixes of a finding: only a proven patch
// is suggested. Each replacement deletes whole lines (column 1 of the first
// to column 1 of the line after the last) and inserts the new lines.
func sarifFixesOf(fixes []Fix, fingerprint string) []sarifFix {
	for _, fx := range fixes {
		if fx.Fingerprint != fingerprint || !fx.Patched || !fx.Proven || len(fx.Replacements) == 0 {
			continue
		}
		byFile := map[string]int{}
		var changes []sarifArtifactChange
		for _, r := range fx.Replacements {
			i, ok := byFile[r.File]
			if !ok {
				i = len(changes)
				byFile[r.File] = i
				changes = append(changes, sarifArtifactChange{ArtifactLocation: sarifArtifact{URI: artifactURI(r.File)}})
			}
			rep := sarifReplacement{DeletedRegion: sarifLineRegion{StartLine: r.StartLine, StartColumn: 1, EndLine: r.EndLine + 1, EndColumn: 1}}
			if r.Text != "" {
				rep.InsertedContent = &sarifText{Text: r.Text}
			}
			changes[i].Replacements = append(changes[i].Replacements, rep)
		}
		desc := fx.Change
		if desc == "" {
			desc = "authprobe fix for " + fx.Rule
		}
		return []sarifFix{{Description: sarifText{Text: desc + " (proofs: " + fx.Proofs.summary() + ")"}, ArtifactChanges: changes}}
	}
	return nil
}

func (p FixProofs) summary() string {
	return "static " + p.Static + ", tests " + p.Tests + ", dynamic " + p.Dynamic
}

// writeMarkdownFixes is the "Suggested fixes" section: each patched
// finding's diff with its proofs, then the findings left unpatched and why.
func writeMarkdownFixes(ew *errWriter, r *Result) {
	if len(r.Fixes) == 0 {
		return
	}
	rules := map[string]string{}
	for _, f := range r.Findings {
		where := ""
		if f.Location != nil {
			where = " at " + f.Location.String()
		} else if f.Endpoint != nil {
			where = " on " + f.Endpoint.String()
		}
		rules[f.Fingerprint] = f.Rule + where
	}
	ew.printf("\n### Suggested fixes\n\n")
	var left []Fix
	for _, fx := range r.Fixes {
		if !fx.Patched {
			left = append(left, fx)
			continue
		}
		name := rules[fx.Fingerprint]
		if name == "" {
			name = fx.Rule
		}
		state := "not proven"
		if fx.Proven {
			state = "proven"
		}
		ew.printf("**%s** — %s (%s: %s)\n\n", mdText(name), mdText(fx.Change), state, fx.Proofs.summary())
		fence := "```"
		for strings.Contains(fx.Diff, fence) {
			fence += "`"
		}
		ew.printf("%sdiff\n%s%s\n\n", fence, fx.Diff, fence)
	}
	if len(left) > 0 {
		ew.printf("**Not patched**\n\n")
		for _, fx := range left {
			name := rules[fx.Fingerprint]
			if name == "" {
				name = fx.Rule
			}
			ew.printf("- %s: %s\n", mdText(name), mdText(fx.Reason))
		}
	}
}
