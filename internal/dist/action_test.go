package dist

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"
)

// action is action.yml as the tests read it.
type action struct {
	Inputs  map[string]struct{ Default string }
	Outputs map[string]struct{ Value string }
	Runs    struct {
		Using string
		Steps []struct {
			ID, Name, Run, Shell, Uses, If string
			Env                            map[string]string
		}
	}
}

func loadAction(t *testing.T) (*action, any) {
	t.Helper()
	data := readRepoFile(t, "action.yml")
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &a, doc
}

func actionSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	s, err := c.Compile(filepath.Join("testdata", "action.schema.json"))
	if err != nil {
		t.Fatalf("compile the action schema: %v", err)
	}
	return s
}

// asJSON turns a YAML document into what a JSON decoder would give, the
// form the schema validator takes.
func asJSON(t *testing.T, doc any) any {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestActionSchema validates action.yml against the metadata syntax, and
// proves the check can fail: a run step without its shell and an unknown
// key must be refused.
func TestActionSchema(t *testing.T) {
	s := actionSchema(t)
	_, doc := loadAction(t)
	if err := s.Validate(asJSON(t, doc)); err != nil {
		t.Fatalf("action.yml fails the metadata schema: %v", err)
	}
	for name, mutate := range map[string]func(m map[string]any){
		"run step without shell": func(m map[string]any) {
			steps := m["runs"].(map[string]any)["steps"].([]any)
			for _, s := range steps {
				delete(s.(map[string]any), "shell")
			}
		},
		"unknown top-level key": func(m map[string]any) { m["run"] = "x" },
		"input without description": func(m map[string]any) {
			for _, in := range m["inputs"].(map[string]any) {
				delete(in.(map[string]any), "description")
			}
		},
	} {
		_, doc := loadAction(t)
		mutate(doc.(map[string]any))
		if err := s.Validate(asJSON(t, doc)); err == nil {
			t.Errorf("%s: the schema accepted it", name)
		}
	}
}

var (
	expr       = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	inputRef   = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	stepOutRef = regexp.MustCompile(`\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	scriptOut  = regexp.MustCompile(`echo "([a-z-]+)=`)
	scriptEnv  = regexp.MustCompile(`\$\{?(AP_[A-Z_]+)`)
)

// TestActionReferences: every input and step output an expression names
// exists, no run script splices an expression (script injection), every
// AP_* variable the script reads is set by the step, and actions are
// pinned to a version.
func TestActionReferences(t *testing.T) {
	a, _ := loadAction(t)
	raw := string(readRepoFile(t, "action.yml"))
	script := string(readRepoFile(t, filepath.Join("scripts", "action.sh")))
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q", a.Runs.Using)
	}
	written := map[string]bool{}
	for _, m := range scriptOut.FindAllStringSubmatch(script, -1) {
		written[m[1]] = true
	}
	ids := map[string]bool{}
	for _, s := range a.Runs.Steps {
		if s.ID != "" {
			ids[s.ID] = true
		}
	}
	for _, m := range expr.FindAllStringSubmatch(raw, -1) {
		for _, in := range inputRef.FindAllStringSubmatch(m[1], -1) {
			if _, ok := a.Inputs[in[1]]; !ok {
				t.Errorf("${{%s}}: no input %q", m[1], in[1])
			}
		}
		for _, so := range stepOutRef.FindAllStringSubmatch(m[1], -1) {
			if !ids[so[1]] || !written[so[2]] {
				t.Errorf("${{%s}}: step %q (exists: %v) output %q (written by scripts/action.sh: %v)", m[1], so[1], ids[so[1]], so[2], written[so[2]])
			}
		}
	}
	for name := range a.Outputs {
		if !written[name] {
			t.Errorf("output %s is never written by scripts/action.sh", name)
		}
	}
	var runEnv map[string]string
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q splices an expression into its script; pass it through env", s.Name)
		}
		if s.Uses != "" && !regexp.MustCompile(`@v[0-9]+`).MatchString(s.Uses) {
			t.Errorf("step %q uses %s without a version", s.Name, s.Uses)
		}
		if strings.Contains(s.Run, "scripts/action.sh") {
			runEnv = s.Env
		}
	}
	if runEnv == nil {
		t.Fatal("no step runs scripts/action.sh")
	}
	for _, m := range scriptEnv.FindAllStringSubmatch(script, -1) {
		if _, ok := runEnv[m[1]]; !ok && m[1] != "AP_BIN" {
			t.Errorf("scripts/action.sh reads %s, which the run step does not set", m[1])
		}
	}
	for k := range runEnv {
		if !strings.Contains(script, k) {
			t.Errorf("the run step sets %s, which scripts/action.sh never reads", k)
		}
	}
	if out, err := exec.Command("bash", "-n", filepath.Join(repoRoot(t), "scripts", "action.sh")).CombinedOutput(); err != nil {
		t.Errorf("bash -n scripts/action.sh: %v\n%s", err, out)
	}
}

// stub is a fake authprobe: it logs its arguments, writes the -o files of a
// scan or code run, prints a heading for diff, and exits with STUB_EXIT.
const stub = `#!/usr/bin/env bash
echo "$*" >>"$STUB_LOG"
case "$1" in
diff) echo "### authprobe diff: stub"; exit 0 ;;
retest) echo "still open: stub"; exit 1 ;;
esac
prev=""
for a in "$@"; do
  if [ "$prev" = "-o" ]; then
    case "$a" in */) mkdir -p "$a" ;; *) echo '{}' >"$a" ;; esac
  fi
  prev=$a
done
exit "${STUB_EXIT:-0}"
`

// TestActionScript runs scripts/action.sh as the composite step would, with
// a stub authprobe, and checks the command lines, the outputs and the
// comment for each way the action is used.
func TestActionScript(t *testing.T) {
	script := filepath.Join(repoRoot(t), "scripts", "action.sh")
	cases := []struct {
		name     string
		env      map[string]string
		exit     string
		calls    []string
		comment  []string
		noOutput []string
	}{
		{"scan", map[string]string{"AP_COMMAND": "scan", "AP_TARGET": "http://127.0.0.1:5000", "AP_CONFIG": "c.yaml",
			"AP_FAIL_ON": "medium", "AP_ARGS": "--rate 5 --skip ratelimit", "AP_BASELINE": "base.json", "STUB_EXIT": "1"}, "1",
			[]string{"scan http://127.0.0.1:5000 -o OUT/result.json -o OUT/authprobe.sarif -c c.yaml --fail-on medium --quiet --rate 5 --skip ratelimit",
				"diff base.json OUT/result.json --format md --fail-on none"},
			[]string{"## authprobe scan", "Findings at or above `medium`", "### authprobe diff: stub"}, nil},
		{"code with retest", map[string]string{"AP_COMMAND": "code", "AP_SOURCE": "app", "AP_RETEST": "old.json"}, "0",
			[]string{"code app -o OUT/result.json -o OUT/authprobe.sarif --fail-on high --quiet", "retest old.json --fail-on none"},
			[]string{"Nothing at or above `high`", "### authprobe retest", "still open: stub"}, nil},
		{"targets", map[string]string{"AP_COMMAND": "scan", "AP_TARGETS": "targets.yaml", "STUB_EXIT": "3"}, "3",
			[]string{"scan --targets targets.yaml -o OUT/targets/ --target-formats sarif --fail-on high --quiet",
				"merge OUT/targets/ -o OUT/authprobe.sarif -o OUT/merged.json -o OUT/authprobe.html --fail-on none --quiet"},
			[]string{"Could not complete** (exit 3)"}, nil},
		{"scan without target", map[string]string{"AP_COMMAND": "scan"}, "2", nil, nil, []string{"sarif=", "result="}},
		{"unknown command", map[string]string{"AP_COMMAND": "deploy"}, "2", nil, nil, []string{"sarif="}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "authprobe")
			if err := os.WriteFile(bin, []byte(stub), 0o755); err != nil {
				t.Fatal(err)
			}
			out, ghOut, log := filepath.Join(dir, "out"), filepath.Join(dir, "github_output"), filepath.Join(dir, "calls.log")
			cmd := exec.Command("bash", script)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "AP_BIN="+bin, "AP_OUTPUT_DIR="+out, "GITHUB_OUTPUT="+ghOut, "STUB_LOG="+log)
			for k, v := range c.env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("action.sh: %v (it must exit 0 so that the upload and comment steps run)\n%s", err, b)
			}
			outputs := readOutputs(t, ghOut)
			if outputs["exit-code"] != c.exit {
				t.Errorf("exit-code output %q, want %q (all: %v)", outputs["exit-code"], c.exit, outputs)
			}
			calls, _ := os.ReadFile(log)
			got := strings.TrimSpace(strings.ReplaceAll(string(calls), out, "OUT"))
			if want := strings.Join(c.calls, "\n"); got != want {
				t.Errorf("authprobe calls:\n%s\nwant:\n%s", got, want)
			}
			if len(c.comment) > 0 {
				comment, err := os.ReadFile(outputs["comment"])
				if err != nil {
					t.Fatalf("comment: %v", err)
				}
				for _, want := range c.comment {
					if !strings.Contains(string(comment), want) {
						t.Errorf("comment lacks %q:\n%s", want, comment)
					}
				}
				if outputs["sarif"] != filepath.Join(out, "authprobe.sarif") {
					t.Errorf("sarif output %q", outputs["sarif"])
				}
			}
			for _, k := range c.noOutput {
				if _, ok := outputs[strings.TrimSuffix(k, "=")]; ok {
					t.Errorf("output %s set for a run that did not happen", k)
				}
			}
		})
	}
}

func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("GITHUB_OUTPUT: %v", err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q", line)
		}
		out[k] = v
	}
	return out
}
