package fix

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// BenchmarkMake plans the patch of the gates lab (about 1,000 lines, 180
// routes) for every finding the source analysis reports there.
func BenchmarkMake(b *testing.B) {
	dir := filepath.Join("..", "..", "labs", "gates")
	_, fs, err := static.Analyze(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		pl, err := Make(context.Background(), dir, fs)
		if err != nil {
			b.Fatal(err)
		}
		if pl.Patched() == 0 {
			b.Fatal("nothing patched")
		}
	}
}
