package scan

import (
	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/report"
)

// excludeEndpoints removes from the inventory the endpoints the user
// excluded (config exclude:, --exclude) and the GETs whose path or summary
// says they change state (/createdb, /reset, logout...), unless the config's
// endpoints or --endpoint name them. It returns what was left out and why.
func excludeEndpoints(inv *inventory.Inventory, patterns []string) ([]report.Skip, error) {
	var ex []inventory.Exclusion
	for _, p := range patterns {
		e, err := inventory.ParseExclusion(p)
		if err != nil {
			return nil, usage(err)
		}
		ex = append(ex, e)
	}
	var kept []inventory.Endpoint
	var skipped []report.Skip
	for _, ep := range inv.Endpoints {
		reason := ""
		for _, e := range ex {
			if e.Matches(ep) {
				reason = "excluded (" + e.Method + " " + e.Glob + ")"
				break
			}
		}
		if word, ok := inventory.SideEffect(ep); ok && reason == "" && !explicit(ep) {
			reason = "side effect (\"" + word + "\"; opt in with --endpoint)"
		}
		if reason == "" {
			kept = append(kept, ep)
			continue
		}
		skipped = append(skipped, report.Skip{Endpoint: &finding.Endpoint{Method: ep.Method, Path: ep.Path}, Reason: reason})
		inv.Excluded = append(inv.Excluded, ep)
	}
	inv.Endpoints = kept
	return skipped, nil
}

// explicit reports whether the user named the endpoint (config or flag).
func explicit(ep inventory.Endpoint) bool {
	for _, s := range ep.Sources {
		if s == inventory.SourceConfig || s == inventory.SourceFlag {
			return true
		}
	}
	return false
}

// addExcluded lists the endpoints left out before the scan under the
// coverage family "all".
func addExcluded(res *report.Result, skipped []report.Skip) {
	if len(skipped) == 0 {
		return
	}
	for i := range res.Coverage {
		if res.Coverage[i].Family == engine.FamilyAll {
			res.Coverage[i].Skipped = append(res.Coverage[i].Skipped, skipped...)
			return
		}
	}
	res.Coverage = append(res.Coverage, report.Coverage{Family: engine.FamilyAll, Skipped: skipped})
}
