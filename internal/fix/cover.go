package fix

import (
	"path/filepath"
	"slices"
)

// cover marks an unpatched finding whose cause line the change of a
// patched finding edits (or inserts right below) as patched by that same
// change: one cause seen by two rules, such as a route's missing decorator
// reported by the code and by the scan. The static proof then has to show
// its rule gone, or it is unpatched again with its own reason.
func (pl *Plan) cover(source func(file string) []byte) {
	for i := range pl.Fixes {
		fx := &pl.Fixes[i]
		if fx.Patched || fx.Finding.Location == nil {
			continue
		}
		for _, by := range pl.Fixes {
			if !by.Patched || by.coveredBy != "" || by.Edits[0].File != filepath.ToSlash(filepath.Clean(fx.Finding.Location.File)) {
				continue
			}
			src := source(by.Edits[0].File)
			if src == nil || !slices.Contains(nearLines(src, by.Edits), fx.Finding.Location.Line) {
				continue
			}
			fx.unCovered, fx.coveredBy = fx.Reason, by.Finding.Fingerprint
			fx.Patched, fx.Reason, fx.Edits, fx.Env = true, "", by.Edits, by.Env
			fx.What = "closed by the change for " + by.Finding.Rule + " (" + short(by.Finding.Fingerprint) + ")"
			break
		}
	}
}

// uncover puts a covered finding back to unpatched with its own reason
// (the other change did not close it).
func (fx *Fix) uncover(why string) {
	fx.Patched, fx.Edits, fx.Env, fx.What = false, nil, nil, ""
	fx.Reason = fx.unCovered + " (" + why + ")"
	fx.Proofs, fx.Notes, fx.coveredBy = notRun, nil, ""
}

// nearLines are the old lines an edit replaces, and for lines inserted
// before a line, that line and the one above.
func nearLines(src []byte, edits []Edit) []int {
	out := touched(src, edits)
	for _, e := range edits {
		if e.Start == e.End && e.Start == lineStart(src, e.Start) {
			l := lineOf(src, e.Start)
			out = append(out, l, l-1)
		}
	}
	return out
}
