package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/labtest"
)

// fleetTarget is one entry of a generated targets file.
type fleetTarget struct {
	name, url string
	drifted   bool
}

// startFleet starts n instances of labs/fleet at once, every odd one with
// the drifted reports gate (GATE_DRIFT=1).
func startFleet(t testing.TB, n int) []fleetTarget {
	t.Helper()
	specs := make([]labtest.Spec, n)
	for i := range specs {
		specs[i] = labtest.Spec{Name: "fleet"}
		if i%2 == 1 {
			specs[i].Env = []string{"GATE_DRIFT=1"}
		}
	}
	var out []fleetTarget
	for i, lab := range labtest.StartMany(t, specs) {
		drifted := i%2 == 1
		name := fmt.Sprintf("svc-%02d-clean", i)
		if drifted {
			name = fmt.Sprintf("svc-%02d-drifted", i)
		}
		out = append(out, fleetTarget{name: name, url: lab.URL, drifted: drifted})
	}
	return out
}

// writeTargets writes a targets file scanning every target with the fleet
// lab's config; the config path is relative, as a user would write it.
func writeTargets(t testing.TB, dir string, targets []fleetTarget) string {
	t.Helper()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "fleet.yaml")
	data, err := os.ReadFile(filepath.Join(root, "fleet", labtest.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("defaults: " + labtest.TargetDefaults("concurrency: 4, fail-on: high") + "\ntargets:\n")
	for _, tg := range targets {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n    config: fleet.yaml\n", tg.name, tg.url)
	}
	path := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// brokenTargets are a target that is down, one that answers 500 to
// everything and one that throttles every request.
func brokenTargets(t *testing.T) []fleetTarget {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close() // nothing listens there any more
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal error", http.StatusInternalServerError)
	}))
	throttling := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	t.Cleanup(failing.Close)
	t.Cleanup(throttling.Close)
	return []fleetTarget{{name: "down", url: down}, {name: "fails", url: failing.URL}, {name: "throttles", url: throttling.URL}}
}

func fleetCLI(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code := Run(context.Background(), args, nil, &out, &errw)
	return code, out.String(), errw.String()
}

func readSummary(t testing.TB, path string) *fleet.Summary {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := fleet.ReadSummary(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if lines := strings.Count(strings.TrimSpace(string(data)), "\n") + 1; lines != len(s.Targets)+2 {
		t.Errorf("summary has %d lines for %d targets, want one line per target plus head and tail", lines, len(s.Targets))
	}
	return s
}

// TestScanTargets runs scan --targets over 16 lab instances (half with a
// drifted gate) and three broken targets: every lab gets its result with
// exactly its findings, the broken ones are in the summary with their
// reason, the exit code is the worst over targets, and compare between a
// clean and a drifted instance lists exactly the drifted routes. Then the
// per-index runs of a Kubernetes Indexed Job, merged, equal the
// single-process run.
func TestScanTargets(t *testing.T) {
	t.Parallel()
	labs := startFleet(t, 16)
	broken := brokenTargets(t)
	dir := t.TempDir()
	targets := writeTargets(t, dir, append(append([]fleetTarget(nil), labs...), broken...))
	out := filepath.Join(dir, "out") + "/"
	code, _, stderr := fleetCLI(t, "scan", "--targets", targets, "-o", out, "--parallel-targets", "8", "--target-formats", "sarif", "--quiet")
	if code != ExitNoTest {
		t.Errorf("exit %d, want %d (worst over targets: three could not be tested); stderr: %s", code, ExitNoTest, stderr)
	}
	sum := readSummary(t, filepath.Join(out, "summary.json"))
	if sum.Exit != ExitNoTest || len(sum.Targets) != 19 {
		t.Fatalf("summary: exit %d, %d targets; want 3 and 19", sum.Exit, len(sum.Targets))
	}
	byName := map[string]fleet.Line{}
	for i, l := range sum.Targets {
		if l.Index != i {
			t.Errorf("%s: index %d, want %d (file order)", l.Name, l.Index, i)
		}
		byName[l.Name] = l
	}
	for _, lab := range labs {
		checkFleetResult(t, out, byName[lab.name], lab)
	}
	reasons := map[string]string{"down": "connection refused", "fails": "500", "throttles": "429"}
	for _, b := range broken {
		l := byName[b.name]
		t.Logf("%s: exit %d: %s", b.name, l.Exit, l.Error)
		if l.Exit != ExitNoTest || !strings.Contains(l.Error, reasons[b.name]) || l.Result != "" {
			t.Errorf("%s: exit %d, error %q, result %q; want exit 3 and a reason mentioning %q", b.name, l.Exit, l.Error, l.Result, reasons[b.name])
		}
	}

	t.Run("compare", func(t *testing.T) {
		clean, drifted := filepath.Join(out, labs[0].name+".json"), filepath.Join(out, labs[1].name+".json")
		report := filepath.Join(dir, "drift.json")
		code, _, stderr := fleetCLI(t, "compare", clean, drifted, "-o", report, "--quiet", "--fail-on", "high")
		if code != ExitFindings {
			t.Errorf("compare clean drifted: exit %d, want 1; %s", code, stderr)
		}
		if got := driftedRoutes(t, report); got != "GET /api/reports, GET /api/reports/export" {
			t.Errorf("drifted routes: %s; want exactly the two routes of the drifted gate", got)
		}
		code, _, stderr = fleetCLI(t, "compare", clean, filepath.Join(out, labs[2].name+".json"), "-o", report, "--quiet", "--fail-on", "info")
		if code != ExitOK {
			t.Errorf("compare clean clean: exit %d, want 0; %s", code, stderr)
		}
		if got := driftedRoutes(t, report); got != "" {
			t.Errorf("two clean instances drift on %s", got)
		}
	})

	t.Run("target-index and merge", func(t *testing.T) {
		subset := []fleetTarget{labs[0], labs[1], labs[2], labs[3], broken[0]}
		sdir := t.TempDir()
		file := writeTargets(t, sdir, subset)
		single := filepath.Join(sdir, "single") + "/"
		if code, _, stderr := fleetCLI(t, "scan", "--targets", file, "-o", single, "--quiet"); code != ExitNoTest {
			t.Fatalf("single process: exit %d; %s", code, stderr)
		}
		// One process per index, at once, on one results volume: an Indexed Job.
		indexed := filepath.Join(sdir, "indexed") + "/"
		codes := make([]int, len(subset))
		var wg sync.WaitGroup
		for i := range subset {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _, _ = fleetCLI(t, "scan", "--targets", file, "--target-index", fmt.Sprint(i), "-o", indexed, "--quiet")
			}()
		}
		wg.Wait()
		for i, c := range codes {
			want := ExitOK
			if subset[i].drifted {
				want = ExitFindings
			}
			if subset[i].url == broken[0].url {
				want = ExitNoTest
			}
			if c != want {
				t.Errorf("--target-index %d (%s): exit %d, want %d", i, subset[i].name, c, want)
			}
			s := readSummary(t, filepath.Join(indexed, fmt.Sprintf("summary.%d.json", i)))
			if len(s.Targets) != 1 || s.Targets[0].Name != subset[i].name || s.Targets[0].Index != i {
				t.Errorf("summary.%d.json: %+v, want the one target %s", i, s.Targets, subset[i].name)
			}
		}
		a, b := filepath.Join(sdir, "single.json"), filepath.Join(sdir, "indexed.json")
		if code, _, stderr := fleetCLI(t, "merge", single, "-o", a, "--quiet", "--fail-on", "none"); code != ExitOK {
			t.Fatalf("merge single: exit %d; %s", code, stderr)
		}
		if code, _, stderr := fleetCLI(t, "merge", indexed, "-o", b, "--quiet", "--fail-on", "none"); code != ExitOK {
			t.Fatalf("merge indexed: exit %d; %s", code, stderr)
		}
		ka, kb := mergedFindings(t, a), mergedFindings(t, b)
		if ka != kb {
			t.Errorf("merged per-index results differ from the single run:\nsingle:\n%s\nindexed:\n%s", ka, kb)
		}
		if !strings.Contains(ka, labs[1].name+" jwt.signature-not-verified") || strings.Contains(ka, broken[0].name) {
			t.Errorf("merged findings miss the drifted target or list the down one:\n%s", ka)
		}
	})
}
