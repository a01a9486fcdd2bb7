package fix

import (
	"context"
	"path/filepath"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	codesrc "github.com/authprobe/authprobe/internal/source"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// ruleUndocumented is the rule of a route the spec does not list.
const ruleUndocumented = "inventory.undocumented-endpoint"

// proveSpec is the static proof of the routes the patch documents: the
// spec is read as the scan reads it, and the code's routes are compared
// with it as the scan compares them, on the original and on the patched
// copy. fixed: the route was undocumented and is not any more; still
// open: it still is; failed: the patched spec does not parse.
func (pl *Plan) proveSpec(ctx context.Context, before, after *flask.Project, patched string) {
	var fixes []*Fix
	for i := range pl.Fixes {
		if fx := &pl.Fixes[i]; fx.Patched && fx.Finding.Rule == ruleUndocumented {
			fixes = append(fixes, fx)
		}
	}
	if len(fixes) == 0 || pl.spec == "" {
		return
	}
	undocumented := func(dir string, proj *flask.Project) (map[finding.Endpoint]bool, error) {
		inv, err := inventory.LoadSpec(ctx, filepath.Join(dir, filepath.FromSlash(pl.spec)), nil)
		if err != nil {
			return nil, err
		}
		out := map[finding.Endpoint]bool{}
		for _, f := range codesrc.Undocumented(proj, inv) {
			out[*f.Endpoint] = true
		}
		return out, nil
	}
	was, errBefore := undocumented(pl.Dir, before)
	now, errAfter := undocumented(patched, after)
	for _, fx := range fixes {
		ep := *fx.Finding.Endpoint
		switch {
		case errAfter != nil:
			fx.Proofs.Static = Failed
			fx.note("static: the patched spec does not load: %v", errAfter)
		case errBefore != nil || !was[ep]:
			fx.Proofs.Static = NotRun
			fx.inapplicable("static")
			fx.note("static: the spec in the source does not leave %s out, so the proof cannot show it documented", ep)
		case now[ep]:
			fx.Proofs.Static = StillOpen
			fx.note("static: the patched spec still leaves %s out", ep)
		default:
			fx.Proofs.Static = Fixed
		}
	}
}
