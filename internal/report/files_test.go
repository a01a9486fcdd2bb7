package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// WriteAtomic streams the render to a file beside the target and renames
// it: a render that fails halfway leaves the old file and no temporary
// behind; one that succeeds replaces it whole.
func TestWriteAtomicStreams(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 1<<20) // larger than the write buffer
	err := WriteAtomic(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, big); err != nil {
			return err
		}
		return errors.New("boom")
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("failed render: err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("failed render replaced the file (%d bytes)", len(b))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("failed render left %d entries in the directory", len(ents))
	}
	if err := WriteAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, big+"y"); return err }); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != big+"y" {
		t.Fatalf("written %d bytes, want %d", len(b), len(big)+1)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d entries after the write", len(ents))
	}
}
