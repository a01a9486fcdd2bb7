package dist

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Op, Args string
}

// parseDockerfile splits a Dockerfile into instructions and stages.
func parseDockerfile(data string) [][]instruction {
	var stages [][]instruction
	var pre []instruction // ARGs before the first FROM
	var cur string
	flush := func() {
		line := strings.TrimSpace(cur)
		cur = ""
		if line == "" {
			return
		}
		op, args, _ := strings.Cut(line, " ")
		in := instruction{Op: strings.ToUpper(op), Args: strings.TrimSpace(args)}
		switch {
		case in.Op == "FROM":
			stages = append(stages, []instruction{in})
		case len(stages) == 0:
			pre = append(pre, in)
		default:
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	for _, line := range strings.Split(data, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") && cur == "" {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		cur += line
		flush()
	}
	flush()
	if len(pre) > 0 && len(stages) > 0 {
		stages[0] = append(pre, stages[0]...)
	}
	return stages
}

func find(stage []instruction, op string) []string {
	var out []string
	for _, in := range stage {
		if in.Op == op {
			out = append(out, in.Args)
		}
	}
	return out
}

var goDirective = regexp.MustCompile(`(?m)^go ([0-9]+\.[0-9]+)`)

// TestDockerfile checks the image's structure (no container engine runs on
// the machines the tests run on, so the image itself is not built here): a
// cgo build stage on the Go of go.mod, a distroless runtime stage that runs
// as non-root with an exec-form entrypoint, and a build context that keeps
// what the build copies.
func TestDockerfile(t *testing.T) {
	stages := parseDockerfile(string(readRepoFile(t, "Dockerfile")))
	if len(stages) != 2 {
		t.Fatalf("%d stages, want a build and a runtime stage", len(stages))
	}
	build, final := stages[0], stages[1]
	goVersion := goDirective.FindStringSubmatch(string(readRepoFile(t, "go.mod")))
	if goVersion == nil {
		t.Fatal("go.mod has no go directive")
	}
	if args := find(build, "ARG"); len(args) == 0 || args[0] != "GO_VERSION="+goVersion[1] {
		t.Errorf("ARG %v, want GO_VERSION=%s (go.mod)", args, goVersion[1])
	}
	if from := build[1].Args; !strings.HasPrefix(from, "golang:${GO_VERSION}-") || !strings.HasSuffix(from, " AS build") {
		t.Errorf("build stage FROM %q", from)
	}
	if !contains(find(build, "ENV"), "CGO_ENABLED=1") {
		t.Error("the build stage does not set CGO_ENABLED=1: the tree-sitter analyser would be left out")
	}
	var buildCmd string
	for _, r := range find(build, "RUN") {
		if strings.Contains(r, "go build") {
			buildCmd = r
		}
	}
	if !strings.Contains(buildCmd, "./cmd/authprobe") || !strings.Contains(buildCmd, "-o /out/authprobe") {
		t.Errorf("build command %q", buildCmd)
	}
	if from := final[0].Args; !strings.HasPrefix(from, "gcr.io/distroless/cc-") || !strings.HasSuffix(from, ":nonroot") {
		t.Errorf("runtime FROM %q: want distroless cc (glibc for cgo), nonroot", from)
	}
	if users := find(final, "USER"); len(users) != 1 || strings.HasPrefix(users[0], "root") || strings.HasPrefix(users[0], "0") {
		t.Errorf("runtime USER %v: want one non-root user", users)
	}
	if copies := find(final, "COPY"); len(copies) != 1 || !strings.HasPrefix(copies[0], "--from=build /out/authprobe ") {
		t.Errorf("runtime COPY %v: want only the binary from the build stage", copies)
	}
	ep := find(final, "ENTRYPOINT")
	var argv []string
	if len(ep) != 1 || json.Unmarshal([]byte(ep[0]), &argv) != nil || len(argv) != 1 || argv[0] != "/usr/local/bin/authprobe" {
		t.Errorf("ENTRYPOINT %v: want the exec form [\"/usr/local/bin/authprobe\"] (distroless has no shell)", ep)
	}
	ignore := string(readRepoFile(t, ".dockerignore"))
	for _, keep := range []string{"!go.mod", "!go.sum", "!cmd/", "!internal/"} {
		if !strings.Contains(ignore, keep+"\n") {
			t.Errorf(".dockerignore does not keep %s, which the build copies", keep)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestDockerBuildCommand runs the build stage's go build command here (the
// part of the image build this machine can run) and checks that the binary
// it makes has the static analyser: `code` on a lab finds its rules.
func TestDockerBuildCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("-short runs no image build command (make test does)")
	}
	stages := parseDockerfile(string(readRepoFile(t, "Dockerfile")))
	var buildCmd string
	for _, r := range find(stages[0], "RUN") {
		if strings.Contains(r, "go build") {
			buildCmd = r
		}
	}
	build, _, _ := strings.Cut(buildCmd, "&&")
	out := filepath.Join(t.TempDir(), "authprobe")
	build = strings.Replace(build, "/out/authprobe", out, 1)
	cmd := exec.Command("sh", "-c", build)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", build, err, b)
	}
	result := filepath.Join(t.TempDir(), "code.json")
	run := exec.Command(out, "code", filepath.Join(repoRoot(t), "labs", "jwt"), "-o", result, "--quiet", "--fail-on", "none")
	if b, err := run.CombinedOutput(); err != nil {
		t.Fatalf("authprobe code: %v\n%s", err, b)
	}
	data, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Findings []struct{ Rule string }
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, f := range res.Findings {
		rules[f.Rule] = true
	}
	if !rules["py.jwt-unverified"] {
		t.Errorf("the image's binary found %v in labs/jwt, want py.jwt-unverified among them (is the cgo analyser in?)", rules)
	}
}
