package cli

import (
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/labtest"
)

// TestFamilyFixtures scans the Flask apps under testdata/families as TestLabs
// scans a lab (the manifest exactly, the secure twin tested and held, the
// --source scan pinned to the cause lines). They are the second shapes of
// families whose first member is a corpus API (docs/benchmarks.md,
// "Issue 24 in session 6"): open writes beside key-guarded deletes with
// bodies the route validates (tripkey), a password reset that takes a user
// and a new password and nothing else (recover). They live outside labs/
// because fix has no proven patch for them (a decision about the app: which
// writes the key guards, how a reset is proven), and TestFixLabs holds
// every lab to its share of proven fixes.
func TestFamilyFixtures(t *testing.T) {
	t.Parallel()
	manifests, err := filepath.Glob(filepath.Join("testdata", "families", "*", labtest.ManifestFile))
	if err != nil || len(manifests) < 4 {
		t.Fatalf("family fixtures not found (%d): %v", len(manifests), err)
	}
	for _, mf := range manifests {
		dir, err := filepath.Abs(filepath.Dir(mf))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			schema := resultSchema(t)
			lab := labtest.StartDir(t, dir)
			res, out := scanLab(t, lab, schema)
			checkManifest(t, lab, res)
			checkHonest(t, lab, res, out)
			logRequests(t, res)
			t.Run("source", func(t *testing.T) { checkSource(t, lab, schema) })
		})
	}
}
