package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
)

func diagnosed() *Result {
	r := New("app/", "0.1.0")
	r.Diagnostics = &Diagnostics{RoutesSeen: 3, RoutesResolved: 2,
		Unresolved: []Unresolved{{Location: finding.Location{File: "api/views.py", Line: 12}, Reason: "blueprint legacy is never registered on an app"}},
		Skipped:    []string{"tests/: test code, 4 file(s) left out (--include-tests analyses them)"}}
	return r
}

// TestDiagnosticsRendered: the route-coverage diagnostic is in the text
// report, the JSON result and schema-valid SARIF notifications.
func TestDiagnosticsRendered(t *testing.T) {
	r := diagnosed()
	text := string(render(t, "text", r, Options{}))
	for _, want := range []string{"Route coverage", "routes: 2 of 3 route-like registrations resolved; 1 not resolved",
		"unresolved api/views.py:12: blueprint legacy is never registered on an app", "left out: tests/: test code"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	var back Result
	if err := json.Unmarshal(render(t, "json", r, Options{}), &back); err != nil || back.Diagnostics == nil ||
		back.Diagnostics.RoutesSeen != 3 || back.Diagnostics.Unresolved[0].Location.Line != 12 {
		t.Fatalf("JSON diagnostics %+v (%v)", back.Diagnostics, err)
	}
	data := render(t, "sarif", r, Options{})
	if err := validateSARIF(t, sarifSchema(t), data); err != nil {
		t.Fatalf("SARIF with diagnostics fails the 2.1.0 schema: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	notes := log.Runs[0].Invocations[0].ToolExecutionNotifications
	if len(notes) != 3 || notes[0].Level != "note" || notes[1].Level != "warning" ||
		!strings.Contains(notes[1].Message.Text, "api/views.py:12") {
		t.Fatalf("notifications %+v", notes)
	}
	if s, u, k := (*Diagnostics)(nil).Lines(); s != "" || u != nil || k != nil {
		t.Fatal("nil diagnostics render something")
	}
}
