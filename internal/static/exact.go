package static

import (
	"context"
	"errors"
	"fmt"

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
	if why := partialApp(proj, inv); why != "" {
		proj.ModeNote = "exact mode: imported " + inv.Target + ", " + why + "; static analysis only"
		proj.Warnings = append(proj.Warnings, "--import: "+proj.ModeNote)
		return
	}
	UseInventory(proj, inv)
}

// partialApp says why an imported app is not the project's whole app, so
// that its url_map must not replace the static routes: it serves fewer
// than half the routes the static model places and matches fewer than
// half of them (another entry point of the tree, or an app the stand-ins
// let build only partly: a plugin loader stubbed, a factory given a
// guessed argument). "" when it may stand for the project.
func partialApp(proj *flask.Project, inv *exact.Inventory) string {
	static := map[string]bool{}
	for _, r := range proj.Routes {
		for _, m := range r.Methods {
			static[m+" "+r.Rule] = true
		}
	}
	if len(static) < 10 {
		return ""
	}
	served, matched := 0, 0
	for _, r := range inv.Served() {
		for _, m := range r.Methods {
			served++
			if static[m+" "+r.Rule] {
				matched++
			}
		}
	}
	if 2*served >= len(static) || 2*matched >= len(static) {
		return ""
	}
	why := fmt.Sprintf("which serves %d route(s) while the static model places %d (%d in common): another entry point, or an app the stand-ins let build only partly", served, len(static), matched)
	if s := inv.StandIns(); s != "" {
		why += " (" + s + ")"
	}
	return why
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
