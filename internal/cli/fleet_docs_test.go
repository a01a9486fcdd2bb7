package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/labtest"
	"github.com/authprobe/authprobe/internal/report"
)

// recipe returns the fenced block after "<!-- recipe: NAME -->" in
// docs/fleet.md.
func recipe(t *testing.T, name string) string {
	t.Helper()
	root, err := labtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(root), "docs", "fleet.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- recipe: " + regexp.QuoteMeta(name) + " -->\n```[a-z]*\n(.*?)\n```").FindStringSubmatch(string(data))
	if m == nil {
		t.Fatalf("docs/fleet.md has no recipe %q", name)
	}
	return m[1]
}

// TestFleetRecipes runs the two fan-out recipes of docs/fleet.md as far as
// this machine allows, against three lab instances (the middle one
// drifted): the CI matrix's shell steps job by job, artifacts copied as
// upload/download-artifact would, and the Kubernetes Jobs' container args
// pod by pod, volumes mapped to directories.
func TestFleetRecipes(t *testing.T) {
	t.Parallel()
	labs := startFleet(t, 3)
	t.Run("ci-matrix", func(t *testing.T) { ciMatrixRecipe(t, labs) })
	t.Run("kubernetes", func(t *testing.T) { kubernetesRecipe(t, labs) })
}

type workflowStep struct {
	ID, Name, Run, Uses string
	Env                 map[string]string
	With                map[string]any
}

type workflow struct {
	Jobs map[string]struct {
		Needs    any
		Strategy struct {
			Matrix map[string]string
		}
		Steps []workflowStep
	}
}

func ciMatrixRecipe(t *testing.T, labs []fleetTarget) {
	var wf workflow
	if err := yaml.Unmarshal([]byte(recipe(t, "ci-matrix")), &wf); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	if got := wf.Jobs["scan"].Strategy.Matrix["target"]; got != "${{ fromJSON(needs.targets.outputs.list) }}" {
		t.Fatalf("scan matrix %q", got)
	}
	bin := buildBinary(t)
	repo := t.TempDir()
	writeTargets(t, repo, labs)

	outputs := runJob(t, wf.Jobs["targets"].Steps, repo, bin, nil, 0)
	var list []struct {
		Index int
		Name  string
	}
	if err := json.Unmarshal([]byte(outputs["list"]), &list); err != nil || len(list) != len(labs) {
		t.Fatalf("targets job output list=%q: %v, want %d targets", outputs["list"], err, len(labs))
	}
	mergeDir := t.TempDir()
	download := stepUsing(t, wf.Jobs["merge"].Steps, "actions/download-artifact")
	for _, target := range list {
		ws := t.TempDir()
		for _, f := range []string{"targets.yaml", "fleet.yaml"} {
			copyFile(t, filepath.Join(repo, f), filepath.Join(ws, f))
		}
		vars := map[string]string{"matrix.target.index": fmt.Sprint(target.Index), "matrix.target.name": target.Name}
		runJob(t, wf.Jobs["scan"].Steps, ws, bin, vars, 0)
		upload := stepUsing(t, wf.Jobs["scan"].Steps, "actions/upload-artifact")
		// download-artifact with merge-multiple puts every artifact's files in one path.
		copyTree(t, filepath.Join(ws, fmt.Sprint(upload.With["path"])), filepath.Join(mergeDir, fmt.Sprint(download.With["path"])))
	}
	runJob(t, wf.Jobs["merge"].Steps, mergeDir, bin, nil, ExitFindings)
	var merged report.Merged
	data, err := os.ReadFile(filepath.Join(mergeDir, "authprobe.json"))
	if err != nil || json.Unmarshal(data, &merged) != nil || len(merged.Results) != len(labs) {
		t.Fatalf("merged json: %v, %d results", err, len(merged.Results))
	}
	if n := sarifRuns(t, filepath.Join(mergeDir, "authprobe.sarif")); n != len(labs) {
		t.Errorf("merged SARIF has %d runs, want %d", n, len(labs))
	}
}

// runJob runs a job's shell steps with bash in dir, authprobe on PATH and
// vars substituted in step env; actions (uses:) and the install step are
// what the runner would do and are left out. The last step must exit with
// lastExit, the others with 0. It returns the job's GITHUB_OUTPUT.
func runJob(t *testing.T, steps []workflowStep, dir, bin string, vars map[string]string, lastExit int) map[string]string {
	t.Helper()
	ghOut := filepath.Join(t.TempDir(), "github_output")
	var shell []workflowStep
	for _, s := range steps {
		if s.Run != "" && s.Name != "Install authprobe" {
			shell = append(shell, s)
		}
	}
	for i, s := range shell {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q splices an expression into its script", s.Name)
		}
		cmd := exec.Command("bash", "-e", "-c", s.Run)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "GITHUB_OUTPUT="+ghOut)
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+substitute(t, v, vars))
		}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		want := 0
		if i == len(shell)-1 {
			want = lastExit
		}
		if code != want {
			t.Fatalf("step %q: exit %d, want %d\n%s", s.Name, code, want, out)
		}
	}
	outputs := map[string]string{}
	if data, err := os.ReadFile(ghOut); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[k] = v
			}
		}
	}
	return outputs
}

var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

func substitute(t *testing.T, v string, vars map[string]string) string {
	return expression.ReplaceAllStringFunc(v, func(e string) string {
		name := expression.FindStringSubmatch(e)[1]
		val, ok := vars[name]
		if !ok {
			t.Errorf("expression %s has no value in the test", e)
		}
		return val
	})
}

func stepUsing(t *testing.T, steps []workflowStep, action string) workflowStep {
	t.Helper()
	for _, s := range steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			return s
		}
	}
	t.Fatalf("no step uses %s", action)
	return workflowStep{}
}

// buildBinary builds authprobe into a directory of the test's.
// testVersion is the version buildBinary stamps into the binary.
const testVersion = "9.8.7-test"

var built struct {
	once sync.Once
	bin  string
	err  error
}

// buildBinary builds cmd/authprobe once per test run, stamped with
// testVersion (-ldflags -X), into a directory TestMain removes.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		root, err := labtest.Root()
		if err != nil {
			built.err = err
			return
		}
		dir, err := os.MkdirTemp("", "authprobe-bin-")
		if err != nil {
			built.err = err
			return
		}
		binDir = dir
		bin := filepath.Join(dir, "authprobe")
		cmd := exec.Command("go", "build", "-ldflags", "-X github.com/authprobe/authprobe/internal/cli.version="+testVersion, "-o", bin, "./cmd/authprobe")
		cmd.Dir = filepath.Dir(root)
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		built.bin = bin
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
		}
	}
}

func sarifRuns(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct{ Runs []json.RawMessage }
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	return len(log.Runs)
}
