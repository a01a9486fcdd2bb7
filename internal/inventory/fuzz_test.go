package inventory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFromSpec feeds arbitrary documents to FromSpec: it must return an
// inventory or an error, never panic, and what it returns must hold the
// package's invariants.
func FuzzFromSpec(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	more, err := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range append(files, more...) {
		if info, err := os.Stat(file); err != nil || info.IsDir() {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(laughs))
	f.Add([]byte("swagger: 2.0\npaths: {/a: {get: {security: []}}}\n"))
	f.Add([]byte(`{"openapi":"3.1.0","paths":{"/a/{b}":{"$ref":"#/paths/~1a~1{b}"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := FromSpec(data, "fuzz")
		if err != nil {
			if inv != nil {
				t.Fatal("an inventory with an error")
			}
			return
		}
		seen := map[string]bool{}
		for i, e := range inv.Endpoints {
			if !strings.HasPrefix(e.Path, "/") || e.Method != strings.ToUpper(e.Method) || e.Method == "" {
				t.Fatalf("bad endpoint %q", e.Key())
			}
			if seen[mergeKey(e)] {
				t.Fatalf("duplicate endpoint %q", e.Key())
			}
			seen[mergeKey(e)] = true
			if i > 0 {
				prev := inv.Endpoints[i-1]
				if prev.Path > e.Path || (prev.Path == e.Path && prev.Method > e.Method) {
					t.Fatalf("not sorted: %q before %q", prev.Key(), e.Key())
				}
			}
			_ = e.Concrete(nil)
		}
	})
}
