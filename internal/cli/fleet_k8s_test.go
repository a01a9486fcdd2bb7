package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/labtest"
	"go.yaml.in/yaml/v4"
)

// k8sContainer and k8sObject are the parts of docs/fleet.md's Kubernetes
// manifests the recipe test reads.
type k8sContainer struct {
	Name         string
	Args         []string
	VolumeMounts []struct {
		Name      string
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
}

type k8sObject struct {
	Kind     string
	Metadata struct{ Name string }
	Data     map[string]string
	Spec     struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int
		Parallelism    int
		Template       struct {
			Spec struct {
				RestartPolicy   string `yaml:"restartPolicy"`
				SecurityContext struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
				} `yaml:"securityContext"`
				Containers []k8sContainer
				Volumes    []struct {
					Name      string
					ConfigMap *struct{ Name string } `yaml:"configMap"`
				}
			}
		}
	}
}

// kubernetesRecipe runs docs/fleet.md's Kubernetes recipe as far as this
// machine allows: its ConfigMap's targets, then each pod of the Indexed
// Job and the merge Job with their container args, volumes mapped to
// directories (TestFleetRecipes).
func kubernetesRecipe(t *testing.T, labs []fleetTarget) {
	dec := yaml.NewDecoder(strings.NewReader(recipe(t, "kubernetes")))
	var cm, scan, merge *k8sObject
	for {
		var o k8sObject
		if err := dec.Decode(&o); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("manifests: %v", err)
		}
		switch {
		case o.Kind == "ConfigMap":
			cm = &o
		case o.Kind == "Job" && o.Spec.CompletionMode == "Indexed":
			scan = &o
		case o.Kind == "Job":
			merge = &o
		}
	}
	if cm == nil || scan == nil || merge == nil {
		t.Fatal("want a ConfigMap, an Indexed Job and a merge Job")
	}
	file, err := fleet.Parse([]byte(cm.Data["targets.yaml"]))
	if err != nil {
		t.Fatalf("ConfigMap targets.yaml: %v", err)
	}
	if scan.Spec.Completions != len(file.Targets) || scan.Spec.Parallelism < 1 || scan.Spec.Parallelism > scan.Spec.Completions {
		t.Errorf("completions %d, parallelism %d for %d targets", scan.Spec.Completions, scan.Spec.Parallelism, len(file.Targets))
	}
	if len(file.Targets) != len(labs) {
		t.Fatalf("the recipe has %d targets, the test %d labs", len(file.Targets), len(labs))
	}
	// The ConfigMap as mounted, the targets' URLs pointed at the labs and
	// their config at the lab's.
	config := t.TempDir()
	targets := cm.Data["targets.yaml"]
	for i, tg := range file.Targets {
		targets = strings.Replace(targets, tg.URL, labs[i].url, 1)
	}
	root, _ := labtest.Root()
	labConfig, err := os.ReadFile(filepath.Join(root, "fleet", labtest.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range cm.Data {
		if name == "targets.yaml" {
			content = targets
		} else {
			content = string(labConfig)
		}
		if err := os.WriteFile(filepath.Join(config, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	results := t.TempDir()
	volumes := map[string]string{}
	for _, v := range scan.Spec.Template.Spec.Volumes {
		volumes[v.Name] = results
		if v.ConfigMap != nil {
			if v.ConfigMap.Name != cm.Metadata.Name {
				t.Errorf("volume %s mounts ConfigMap %s, want %s", v.Name, v.ConfigMap.Name, cm.Metadata.Name)
			}
			volumes[v.Name] = config
		}
	}
	for _, job := range []*k8sObject{scan, merge} {
		for _, m := range job.Spec.Template.Spec.Containers[0].VolumeMounts {
			if m.MountPath == "" || volumes[m.Name] == "" {
				t.Fatalf("%s: volume mount %q has no mountPath or no volume", job.Metadata.Name, m.Name)
			}
		}
	}
	pod := func(job *k8sObject, index int) (int, string) {
		spec := job.Spec.Template.Spec
		if spec.RestartPolicy != "Never" || !spec.SecurityContext.RunAsNonRoot || len(spec.Containers) != 1 {
			t.Errorf("%s: restartPolicy %q, runAsNonRoot %v, %d containers", job.Metadata.Name, spec.RestartPolicy, spec.SecurityContext.RunAsNonRoot, len(spec.Containers))
		}
		c := spec.Containers[0]
		args := make([]string, len(c.Args))
		for i, a := range c.Args {
			a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", fmt.Sprint(index))
			for _, m := range c.VolumeMounts {
				if m.MountPath != "" && strings.HasPrefix(a, m.MountPath) {
					a = volumes[m.Name] + strings.TrimPrefix(a, m.MountPath)
				}
			}
			args[i] = a
		}
		code, _, stderr := fleetCLIQuiet(args)
		return code, stderr
	}
	if !strings.Contains(strings.Join(scan.Spec.Template.Spec.Containers[0].Args, " "), "--target-index $(JOB_COMPLETION_INDEX)") {
		t.Fatal("the Indexed Job does not pass $(JOB_COMPLETION_INDEX) to --target-index")
	}
	var wg sync.WaitGroup
	codes := make([]int, scan.Spec.Completions)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stderr string
			codes[i], stderr = pod(scan, i)
			if codes[i] != ExitOK {
				t.Errorf("pod %d: exit %d; %s", i, codes[i], stderr)
			}
		}()
	}
	wg.Wait()
	for i, tg := range file.Targets {
		if _, err := os.Stat(filepath.Join(results, tg.Name+".json")); err != nil {
			t.Errorf("pod %d wrote no result for %s: %v", i, tg.Name, err)
		}
		if _, err := os.Stat(filepath.Join(results, fmt.Sprintf("summary.%d.json", i))); err != nil {
			t.Errorf("pod %d wrote no summary: %v", i, err)
		}
	}
	if code, stderr := pod(merge, 0); code != ExitFindings {
		t.Errorf("merge Job: exit %d, want 1 (%s has a drifted gate); %s", code, file.Targets[1].Name, stderr)
	}
	if n := sarifRuns(t, filepath.Join(results, "all.sarif")); n != len(labs) {
		t.Errorf("all.sarif has %d runs, want %d", n, len(labs))
	}
}

func fleetCLIQuiet(args []string) (int, string, string) {
	var out, errw strings.Builder
	code := Run(context.Background(), args, nil, &out, &errw)
	return code, out.String(), errw.String()
}
