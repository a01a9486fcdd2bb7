package fix

import (
	"maps"
	"slices"

	"github.com/authprobe/authprobe/internal/report"
)

// Schema is the value of a fix document's schema field.
const Schema = "authprobe/fix/v1"

// Doc is what `fix -o fix.json` writes.
type Doc struct {
	Schema string `json:"schema"`
	// Result and Source are the inputs: the scan result and the project.
	Result string `json:"result"`
	Source string `json:"source"`
	// Applied is true when the patch was written into Source.
	Applied bool `json:"applied"`
	// Env lists the environment variables the patched code refuses to
	// start without (the dynamic proof gave them fresh random values).
	Env []string `json:"env,omitempty"`
	// TestCommand is the test command the tests proof ran.
	TestCommand string `json:"test_command,omitempty"`
	// BrokenLogins lists identities that could not log in to the patched
	// copy.
	BrokenLogins []string     `json:"broken_logins,omitempty"`
	Stats        DocStats     `json:"stats"`
	Findings     []report.Fix `json:"findings"`
}

// DocStats count the findings by outcome.
type DocStats struct {
	Findings int `json:"findings"`
	Patched  int `json:"patched"`
	// Proven counts patched findings whose every proof that ran passed.
	Proven int `json:"proven"`
}

// Reports returns one report.Fix per finding, in the plan's order.
func (pl *Plan) Reports() []report.Fix {
	names := map[string]string{}
	for _, fx := range pl.Fixes {
		names[fx.Finding.Fingerprint] = fx.Finding.Rule + " (" + short(fx.Finding.Fingerprint) + ")"
	}
	out := make([]report.Fix, 0, len(pl.Fixes))
	for _, fx := range pl.Fixes {
		r := report.Fix{Fingerprint: fx.Finding.Fingerprint, Rule: fx.Finding.Rule, Patched: fx.Patched, Reason: fx.Reason,
			Change: fx.What, Notes: fx.Notes, Proven: fx.Patched && fx.Proofs.Passed(),
			Proofs: report.FixProofs{Static: string(fx.Proofs.Static), Tests: string(fx.Proofs.Tests), Dynamic: string(fx.Proofs.Dynamic)}}
		if fx.Patched {
			// A change may span files (a limiter in each module it
			// throttles): each file's edits, in path order.
			byFile := map[string][]Edit{}
			for _, e := range fx.Edits {
				byFile[e.File] = append(byFile[e.File], e)
			}
			for _, file := range slices.Sorted(maps.Keys(byFile)) {
				src, own := pl.Old[file], dedupe(byFile[file])
				r.Diff += Unified(file, hunks(file, src, own), names)
				for _, sp := range spansOf(src, own) {
					from := lineOf(src, sp.oldFrom)
					r.Replacements = append(r.Replacements, report.Replacement{File: file, StartLine: from,
						EndLine: from + len(splitLines(string(src[sp.oldFrom:sp.oldTo]))) - 1, Text: sp.newText})
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// Doc returns the fix document.
func (pl *Plan) Doc(result string, applied bool, testCmd string) Doc {
	d := Doc{Schema: Schema, Result: result, Source: pl.Dir, Applied: applied, Env: pl.Env(), TestCommand: testCmd,
		BrokenLogins: pl.BrokenLogins, Findings: pl.Reports()}
	for _, r := range d.Findings {
		d.Stats.Findings++
		if r.Patched {
			d.Stats.Patched++
		}
		if r.Proven {
			d.Stats.Proven++
		}
	}
	return d
}

// dedupe drops repeated identical edits (an import two fixes both add).
func dedupe(es []Edit) []Edit {
	var out []Edit
	for _, e := range es {
		dup := false
		for _, o := range out {
			dup = dup || (o.Start == e.Start && o.End == e.End && o.New == e.New)
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}
