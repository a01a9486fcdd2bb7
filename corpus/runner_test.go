package corpus

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
)

// runnerProbe asks scripts/corpus_apis.py which manifests it would run for
// given --split/--batch/--only, and what a seed capture reads, and prints
// the answers as JSON.
const runnerProbe = `
import json, sys
sys.path.insert(0, sys.argv[1])
import corpus_apis as c
ms = {
  "old-tuning": {"name": "old-tuning", "split": "tuning"},
  "b2-held": {"name": "b2-held", "split": "held-out", "batch": 2},
  "b3-tuning": {"name": "b3-tuning", "split": "tuning", "batch": 3},
  "b3-held": {"name": "b3-held", "split": "held-out", "batch": 3},
  "b4-tuning": {"name": "b4-tuning", "split": "tuning", "batch": 4},
  "b4-held": {"name": "b4-held", "split": "held-out", "batch": 4},
  "b5-tuning": {"name": "b5-tuning", "split": "tuning", "batch": 5},
  "b5-held": {"name": "b5-held", "split": "held-out", "batch": 5},
  "b6-tuning": {"name": "b6-tuning", "split": "tuning", "batch": 6},
  "b6-held": {"name": "b6-held", "split": "held-out", "batch": 6},
  "b7-tuning": {"name": "b7-tuning", "split": "tuning", "batch": 7},
  "b7-held": {"name": "b7-held", "split": "held-out", "batch": 7},
}
cases = {
  "default": ("tuning", "all", set()),
  "all-all": ("all", "all", set()),
  "b3-heldout": ("held-out", "3", set()),
  "b4-heldout": ("held-out", "4", set()),
  "b4-all": ("all", "4", set()),
  "b5-heldout": ("held-out", "5", set()),
  "b5-all": ("all", "5", set()),
  "only-b4": ("all", "all", {"b4-tuning", "b4-held"}),
  "only-b5": ("all", "all", {"b5-tuning", "b5-held"}),
  "only-b5-batch5-tuning": ("tuning", "5", {"b5-tuning", "b5-held"}),
  "b6-heldout": ("held-out", "6", set()),
  "b6-all": ("all", "6", set()),
  "only-b6": ("all", "all", {"b6-tuning", "b6-held"}),
  "only-b6-batch6-tuning": ("tuning", "6", {"b6-tuning", "b6-held"}),
  "b7-heldout": ("held-out", "7", set()),
  "b7-all": ("all", "7", set()),
  "only-b7": ("all", "all", {"b7-tuning", "b7-held"}),
  "only-b7-batch7-tuning": ("tuning", "7", {"b7-tuning", "b7-held"}),
  "only-b2-held-default": ("tuning", "all", {"b2-held"}),
}
sel = {k: sorted(n for n, m in ms.items() if c.selected(m, *v)[0]) for k, v in cases.items()}
page = b"<li>alice 1b4e28ba-2fa1-11d2-883f-0016d3cca427</li><li>x</li>"
cap = {
  "re-group": c.capture("re:([0-9a-f]{8}-[0-9a-f-]{27})", {}, page),
  "re-whole": c.capture("re:alice [0-9a-f]{8}", {}, page),
  "re-none": c.capture("re:zzz(\\d+)", {}, page),
  "json": c.capture("json:token", {}, b'{"token": "t1"}'),
  "header": c.capture("header:X-Key", {"X-Key": "k1"}, b""),
}
print(json.dumps({"selected": sel, "capture": cap}))
`

// TestRunnerSelection: the fresh batch 7 runs only when --batch 7 names it
// (never under "all", never by --only alone), batches 3 to 6 (seen since
// sessions 5 to 8) run with the others under "all", a held-out target only
// when its half is asked for, and a seed capture reads headers, JSON keys and
// patterns in an HTML page. Each assertion fails if the runner changes.
func TestRunnerSelection(t *testing.T) {
	if testing.Short() {
		t.Skip("starts /usr/bin/python3 (make test runs it)")
	}
	scripts, err := filepath.Abs(filepath.Join("..", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "-c", runnerProbe, scripts).CombinedOutput()
	if err != nil {
		t.Fatalf("python3 (python3-yaml comes with make deps): %v\n%s", err, out)
	}
	var got struct {
		Selected map[string][]string `json:"selected"`
		Capture  map[string]string   `json:"capture"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string][]string{
		"default":               {"b3-tuning", "b4-tuning", "b5-tuning", "b6-tuning", "old-tuning"},
		"all-all":               {"b2-held", "b3-held", "b3-tuning", "b4-held", "b4-tuning", "b5-held", "b5-tuning", "b6-held", "b6-tuning", "old-tuning"},
		"b3-heldout":            {"b3-held"},
		"b4-heldout":            {"b4-held"},
		"b4-all":                {"b4-held", "b4-tuning"},
		"b5-heldout":            {"b5-held"},
		"b5-all":                {"b5-held", "b5-tuning"},
		"only-b4":               {"b4-held", "b4-tuning"},
		"only-b5":               {"b5-held", "b5-tuning"},
		"only-b5-batch5-tuning": {"b5-tuning"},
		"b6-heldout":            {"b6-held"},
		"b6-all":                {"b6-held", "b6-tuning"},
		"only-b6":               {"b6-held", "b6-tuning"},
		"only-b6-batch6-tuning": {"b6-tuning"},
		"b7-heldout":            {"b7-held"},
		"b7-all":                {"b7-held", "b7-tuning"},
		"only-b7":               {},
		"only-b7-batch7-tuning": {"b7-tuning"},
		"only-b2-held-default":  {},
	}
	for k, w := range want {
		g := got.Selected[k]
		if len(g) != len(w) {
			t.Errorf("%s: selected %v, want %v", k, g, w)
			continue
		}
		for i := range w {
			if g[i] != w[i] {
				t.Errorf("%s: selected %v, want %v", k, g, w)
				break
			}
		}
	}
	wantCap := map[string]string{
		"re-group": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
		"re-whole": "alice 1b4e28ba",
		"re-none":  "",
		"json":     "t1",
		"header":   "k1",
	}
	for k, w := range wantCap {
		if got.Capture[k] != w {
			t.Errorf("capture %s = %q, want %q", k, got.Capture[k], w)
		}
	}
}
