package static

import (
	"context"
	"errors"

	"github.com/authprobe/authprobe/internal/static/exact"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// applyExact imports the app (exact mode) and makes its url_map the
// model's routes; when the import fails the model stays static and its
// ModeNote says why.
func applyExact(ctx context.Context, dir string, proj *flask.Project, opts exact.Options) {
	if opts.Target == "" {
		opts.Candidates = proj.AppCandidates()
	}
	inv, err := exact.Import(ctx, dir, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			proj.ModeNote = "import cancelled; static analysis only"
			return
		}
		proj.ModeNote = err.Error() + "; static analysis only"
		proj.Warnings = append(proj.Warnings, "--import: "+proj.ModeNote)
		return
	}
	if len(inv.Served()) == 0 && len(proj.Routes) > 0 {
		// An app with an empty url_map would erase the static model's
		// routes: its routes are added by code the import did not run.
		proj.ModeNote = "exact mode: imported " + inv.Target + ", which serves no route while the source registers some (they are added by code the import does not run); static analysis only"
		proj.Warnings = append(proj.Warnings, "--import: "+proj.ModeNote)
		return
	}
	UseInventory(proj, inv)
}

// UseInventory makes an imported app's inventory the model's routes.
func UseInventory(proj *flask.Project, inv *exact.Inventory) {
	var rules []flask.ExactRule
	for _, r := range inv.Served() {
		rules = append(rules, flask.ExactRule{Rule: r.Rule, Endpoint: r.Endpoint, Methods: r.Methods, File: r.File, Line: r.Line})
	}
	var hooks []flask.ExactHook
	for _, h := range inv.Hooks {
		hooks = append(hooks, flask.ExactHook{Blueprint: h.Blueprint, File: h.File, Line: h.Line})
	}
	proj.UseExact(rules, hooks, inv.StubbedRouters)
	proj.ModeNote = "imported " + inv.Target
	if s := inv.StandIns(); s != "" {
		// Routes that depend on a stand-in are the app's as far as the
		// stubs let it build them: say so next to the mode.
		proj.ModeNote += "; exact (" + s + ")"
		proj.Stubbed = append([]string(nil), inv.Stubbed...)
	}
	proj.Settings = inv.Config
}
