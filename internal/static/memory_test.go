package static

import (
	"runtime/debug"
	"sync"
	"testing"
)

// Analyses bounding memory at once leave the collector as it was.
func TestMemoryBoundRestores(t *testing.T) {
	if b0 := boundMemory(nil); b0 == nil {
		t.Skip("GOGC or GOMEMLIMIT set in the environment")
	} else {
		b0.restore()
	}
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			b := boundMemory(nil)
			if debug.SetMemoryLimit(-1) < 256<<20 {
				t.Error("limit below the floor while bound")
			}
			b.parsed()
			b.restore()
		})
	}
	wg.Wait()
	if got := debug.SetGCPercent(percent); got != percent {
		t.Fatalf("GC percent %d after the analyses, was %d", got, percent)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Fatalf("memory limit %d after the analyses, was %d", got, limit)
	}
}
