package fix

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/static"
)

// staticKey is one static finding's place in the unpatched file.
type staticKey struct {
	rule, file string
	line       int
}

// ProveStatic runs the source analysis on the unpatched project and on the
// patched copy. A finding's static proof is `fixed` when the analysis
// reported its rule (or a static rule that explains it) at its patched
// lines before and not after,
// `still open` when a finding there survives, `failed` when the patch
// brings a finding (low and up; info findings are hints) that was not there, `not run` when the analysis never
// reported that cause.
func (pl *Plan) ProveStatic(ctx context.Context, patched string) error {
	projBefore, before, err := static.Analyze(ctx, pl.Dir)
	if err != nil {
		return fmt.Errorf("static proof: analyse %s: %w", pl.Dir, err)
	}
	projAfter, after, err := static.Analyze(ctx, patched)
	if err != nil {
		return fmt.Errorf("static proof: analyse the patched copy: %w", err)
	}
	pl.proveSpec(ctx, projBefore, projAfter, patched)
	maps := map[string]lineMap{}
	for name := range pl.New {
		maps[name] = newLineMap(pl.Old[name], pl.editsOf(name))
	}
	old := count(before, func(f finding.Finding) (int, bool) {
		if m, ok := maps[filepath.ToSlash(f.Location.File)]; ok {
			return m.spanStart(f.Location.Line), false
		}
		return f.Location.Line, false
	})
	type newKey struct {
		k      staticKey
		inEdit bool
	}
	now := map[staticKey]int{}
	var fresh []newKey
	afterKeys := count(after, func(f finding.Finding) (int, bool) {
		m, ok := maps[filepath.ToSlash(f.Location.File)]
		if !ok {
			return f.Location.Line, false
		}
		return m.old(f.Location.Line)
	})
	advisory := map[staticKey]bool{} // info findings: hints, never a regression
	for _, f := range after {
		if f.Location != nil && f.Severity == finding.Info {
			advisory[staticKey{rule: f.Rule, file: filepath.ToSlash(f.Location.File)}] = true
		}
	}
	for k, n := range afterKeys {
		now[k] = n
		if n > old[k] && !advisory[staticKey{rule: k.rule, file: k.file}] {
			fresh = append(fresh, newKey{k: k})
		}
	}
	for i := range pl.Fixes {
		fx := &pl.Fixes[i]
		if !fx.Patched || fx.Finding.Rule == ruleUndocumented {
			continue
		}
		file := fx.Edits[0].File
		lines := touched(pl.Old[file], fx.Edits)
		lines = append(lines, maps[file].spanStart(fx.Finding.Location.Line))
		var was, still, added []string
		for k, n := range old {
			if k.file == file && slices.Contains(lines, k.line) && n > 0 && (k.rule == fx.Finding.Rule || source.Explains(fx.Finding.Rule, k.rule)) {
				was = append(was, k.rule)
				if now[k] > 0 {
					still = append(still, k.rule)
				}
			}
		}
		for _, nk := range fresh {
			if nk.k.file == file && slices.Contains(lines, nk.k.line) {
				added = append(added, nk.k.rule)
			}
		}
		if fx.coveredBy != "" {
			if len(was) == 0 || len(still) > 0 {
				fx.uncover("the change for the other finding does not close it")
			} else {
				fx.Proofs.Static = Fixed
			}
			continue
		}
		switch {
		case len(added) > 0:
			fx.Proofs.Static = Failed
			fx.note("static: the patched code reports %v there", added)
		case len(still) > 0:
			fx.Proofs.Static = StillOpen
			fx.note("static: still reported: %v", still)
		case len(was) == 0:
			fx.Proofs.Static = NotRun
			fx.inapplicable("static")
			fx.note("static: the analysis does not report this cause, so it cannot prove it gone")
		default:
			fx.Proofs.Static = Fixed
		}
	}
	// A new finding away from every edit still counts against the patch.
	for _, nk := range fresh {
		if pl.nearEdit(nk.k) {
			continue
		}
		for i := range pl.Fixes {
			if fx := &pl.Fixes[i]; fx.Patched && fx.Edits[0].File == nk.k.file {
				fx.Proofs.Static = Failed
				fx.note("static: the patched file reports a new %s at %s:%d", nk.k.rule, nk.k.file, nk.k.line)
			}
		}
	}
	return nil
}

// count keys findings with a location by rule, file and (mapped) line.
func count(fs []finding.Finding, line func(finding.Finding) (int, bool)) map[staticKey]int {
	out := map[staticKey]int{}
	for _, f := range fs {
		if f.Location == nil || f.Suppressed != "" {
			continue
		}
		l, _ := line(f)
		out[staticKey{rule: f.Rule, file: filepath.ToSlash(f.Location.File), line: l}]++
	}
	return out
}

// editsOf returns the patch's edits of one file.
func (pl *Plan) editsOf(file string) []Edit {
	var out []Edit
	for _, fx := range pl.Fixes {
		if fx.Patched {
			for _, e := range fx.Edits {
				if e.File == file {
					out = append(out, e)
				}
			}
		}
	}
	return dedupe(out)
}

// nearEdit reports whether a (mapped) static finding sits on lines a fix
// edited (those are judged per fix above).
func (pl *Plan) nearEdit(k staticKey) bool {
	for _, fx := range pl.Fixes {
		if fx.Patched && fx.Edits[0].File == k.file && (slices.Contains(touched(pl.Old[k.file], fx.Edits), k.line) || fx.Finding.Location.Line == k.line) {
			return true
		}
	}
	return false
}

// note adds a line to the fix's proof notes.
func (fx *Fix) note(format string, a ...any) {
	fx.Notes = append(fx.Notes, fmt.Sprintf(format, a...))
}
