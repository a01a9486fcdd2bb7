package crack

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedAssemblyUpToDate regenerates the assembly written by the
// scripts in asmgen/ and compares it with the committed files, so a change to
// a generator cannot be left unapplied.
func TestGeneratedAssemblyUpToDate(t *testing.T) {
	for gen, file := range map[string]string{
		"gen_flask_amd64.py":    "flask_amd64.s",
		"gen_sha512x8_amd64.py": "sha512x8_amd64.s",
	} {
		cmd := exec.Command("/usr/bin/python3", gen)
		cmd.Dir = "asmgen"
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v (the generators run with Debian's /usr/bin/python3)", gen, err)
		}
		want, err := os.ReadFile(filepath.Clean(file))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is stale: run (cd internal/crack/asmgen && ./%s > ../%s)", file, gen, file)
		}
	}
}
