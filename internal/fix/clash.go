package fix

import "slices"

// clashing says which finding already edits the same bytes, if any. Two
// findings fixed by the very same edit (one cause seen by two rules) share it.
func clashing(es, taken []Edit) string {
	for _, e := range es {
		for _, t := range taken {
			if e.overlaps(t) && !(e.Start == t.Start && e.End == t.End && e.New == t.New) && !(e.stack && t.stack) {
				return "its fix overlaps the fix of finding " + t.Finding + "; patch that one first and run fix again"
			}
		}
	}
	return ""
}

// absorbs reports whether every taken edit es overlaps lies inside one of
// es, and belongs to a patched finding all of whose edits do: es removes
// or rewrites the very code those changes edited.
func absorbs(es, taken []Edit, fixes []Fix) bool {
	for _, t := range taken {
		if !slices.ContainsFunc(es, t.overlaps) {
			continue
		}
		if !within(t, es) {
			return false
		}
		for _, fx := range fixes {
			if fx.Finding.Fingerprint == t.Finding && fx.Patched && !allWithin(fx.Edits, es) {
				return false
			}
		}
	}
	return true
}

// within reports whether edit t lies inside one of es (same file).
func within(t Edit, es []Edit) bool {
	return slices.ContainsFunc(es, func(e Edit) bool {
		return e.File == t.File && e.Start < e.End && e.Start <= t.Start && t.End <= e.End && e != t
	})
}

func allWithin(ts, es []Edit) bool {
	for _, t := range ts {
		if !within(t, es) {
			return false
		}
	}
	return true
}
