package cli

// The code command's route-coverage diagnostic and the imported app's
// security settings, as the text report prints them.

import (
	"fmt"
	"io"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/static/flask"
)

// codeDiagnostics is the route-coverage diagnostic of a model.
func codeDiagnostics(p *flask.Project) *report.Diagnostics {
	d := &report.Diagnostics{Skipped: append([]string{}, p.Skipped...), Mode: p.Mode, ModeNote: p.ModeNote, Stubbed: p.Stubbed}
	for _, np := range p.NotPlacedSorted() {
		d.NotPlaced = append(d.NotPlaced, report.Unresolved{Location: finding.Location{File: np.File, Line: np.Line},
			Reason: fmt.Sprintf("%s %s (endpoint %s): %s", np.Method, np.Rule, np.Endpoint, np.Reason)})
	}
	for _, st := range p.Settings {
		d.Settings = append(d.Settings, report.Setting{Key: st.Key, Set: st.Set, Length: st.Length,
			EntropyBits: st.EntropyBits, Type: st.Type, Value: st.Value})
	}
	for _, np := range p.Dropped {
		d.Dropped = append(d.Dropped, report.Unresolved{Location: finding.Location{File: np.File, Line: np.Line},
			Reason: fmt.Sprintf("%s %s: %s", np.Method, np.Rule, np.Reason)})
	}
	for _, decl := range p.OtherDecls() {
		// Another framework's route (a Chalice app next to the Flask
		// app): not a Flask registration, so not counted; said why.
		d.Skipped = append(d.Skipped, fmt.Sprintf("%s:%d: %s", decl.File, decl.Line, decl.Reason))
	}
	assumed := map[[2]string]int{}
	counts := []int{}
	for _, decl := range p.Decls() {
		d.RoutesSeen++
		if decl.Resolved {
			d.RoutesResolved++
			if decl.Assumed != "" {
				k := [2]string{decl.File, decl.Assumed}
				i, ok := assumed[k]
				if !ok {
					i = len(d.Assumed)
					assumed[k] = i
					d.Assumed = append(d.Assumed, report.Unresolved{Location: finding.Location{File: decl.File, Line: decl.Line}})
					counts = append(counts, 0)
				}
				counts[i]++
				d.Assumed[i].Reason = fmt.Sprintf("%d registration(s) here: %s", counts[i], decl.Assumed)
			}
			continue
		}
		d.Unresolved = append(d.Unresolved, report.Unresolved{
			Location: finding.Location{File: decl.File, Line: decl.Line}, Reason: decl.Reason})
	}
	return d
}

func printDiagnostics(w io.Writer, d *report.Diagnostics) error {
	summary, unresolved, skipped := d.Lines()
	if _, err := fmt.Fprintln(w, summary); err != nil {
		return err
	}
	for _, l := range append(unresolved, skipped...) {
		if _, err := fmt.Fprintln(w, "  "+l); err != nil {
			return err
		}
	}
	return nil
}

// printSettings lists the imported app's security config: secrets by
// length and entropy only, transport settings by value.
func printSettings(w io.Writer, p *flask.Project) error {
	for _, s := range p.Settings {
		line := "config " + s.Key + ": "
		switch {
		case !s.Set:
			line += "not set"
		case s.Value != nil:
			line += fmt.Sprint(s.Value)
		case s.Length > 0:
			line += fmt.Sprintf("set, %d characters, %.0f bits of entropy", s.Length, s.EntropyBits)
		default:
			line += "set (" + s.Type + ")"
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}
