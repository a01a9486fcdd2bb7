package report

import "fmt"

// Lines renders the route-coverage diagnostic as one summary line, one
// line per unresolved registration and one per path left out, for the
// text report and SARIF notifications.
func (d *Diagnostics) Lines() (summary string, unresolved, skipped []string) {
	if d == nil {
		return "", nil, nil
	}
	summary = fmt.Sprintf("routes: %d of %d route-like registrations resolved", d.RoutesResolved, d.RoutesSeen)
	if n := assumedCount(d.Assumed); n > 0 {
		summary += fmt.Sprintf(" (%d by a stated assumption)", n)
	}
	if n := d.RoutesSeen - d.RoutesResolved; n > 0 {
		summary += fmt.Sprintf("; %d not resolved (the model is blind there)", n)
	}
	// --routes says which mode it used; a plain static run keeps the
	// summary it always had.
	switch {
	case d.Mode == "exact":
		summary += "; mode: exact (" + d.ModeNote + ")"
		if len(d.NotPlaced) > 0 {
			summary += fmt.Sprintf("; %d served route(s) the static model did not place", len(d.NotPlaced))
		}
	case d.ModeNote != "":
		summary += "; mode: " + d.Mode + " (" + d.ModeNote + ")"
	}
	for _, u := range d.Unresolved {
		unresolved = append(unresolved, fmt.Sprintf("%s:%d: %s", u.Location.File, u.Location.Line, u.Reason))
	}
	for _, u := range d.Assumed {
		unresolved = append(unresolved, fmt.Sprintf("%s:%d: resolved by assumption: %s", u.Location.File, u.Location.Line, u.Reason))
	}
	for _, u := range d.NotPlaced {
		unresolved = append(unresolved, fmt.Sprintf("%s:%d: not placed statically: %s", u.Location.File, u.Location.Line, u.Reason))
	}
	for _, u := range d.Dropped {
		unresolved = append(unresolved, fmt.Sprintf("%s:%d: %s", u.Location.File, u.Location.Line, u.Reason))
	}
	for _, s := range d.Skipped {
		skipped = append(skipped, "left out: "+s)
	}
	return summary, unresolved, skipped
}

func writeTextDiagnostics(ew *errWriter, p painter, d *Diagnostics) {
	if d == nil {
		return
	}
	summary, unresolved, skipped := d.Lines()
	ew.printf("\n%s\n  %s\n", p.heading("Route coverage"), oneLine(summary))
	for _, u := range unresolved {
		ew.printf("  - unresolved %s\n", oneLine(u))
	}
	for _, s := range skipped {
		ew.printf("  - %s\n", oneLine(s))
	}
}

func sarifDiagnostics(d *Diagnostics) []sarifNotification {
	if d == nil {
		return nil
	}
	summary, unresolved, skipped := d.Lines()
	out := []sarifNotification{{Level: "note", Message: sarifText{Text: summary}}}
	for _, u := range unresolved {
		out = append(out, sarifNotification{Level: "warning", Message: sarifText{Text: "route not resolved: " + u}})
	}
	for _, s := range skipped {
		out = append(out, sarifNotification{Level: "note", Message: sarifText{Text: s}})
	}
	return out
}

// assumedCount is how many registrations the assumed entries cover (each
// entry's reason starts with "N registration(s)").
func assumedCount(us []Unresolved) int {
	n := 0
	for _, u := range us {
		var k int
		if _, err := fmt.Sscanf(u.Reason, "%d registration", &k); err == nil {
			n += k
		} else {
			n++
		}
	}
	return n
}
