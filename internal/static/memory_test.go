package static

import (
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/static/flask"
)

// Analyses bounding memory at once leave the collector as it was.
func TestMemoryBoundRestores(t *testing.T) {
	if b0 := boundMemory(nil); b0 == nil {
		t.Skip("GOGC or GOMEMLIMIT set in the environment")
	} else {
		b0.restore(nil)
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
			b.restore(nil)
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

// A model the caller goes on reading keeps the limit above the live heap
// until it is collected; Release collects it and the limit comes back.
func TestMemoryBoundHoldsModel(t *testing.T) {
	if b0 := boundMemory(nil); b0 == nil {
		t.Skip("GOGC or GOMEMLIMIT set in the environment")
	} else {
		b0.restore(nil)
	}
	limit := int64(64 << 20)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
	// A live heap whose half again is above the limit before the analysis.
	ballast := make([]byte, limit*3/4)
	ballast[0] = 1
	b := boundMemory(nil)
	b.parsed()
	runtime.GC() // the live heap as restore reads it
	b.restore(&flask.Project{})
	if got := debug.SetMemoryLimit(-1); got < int64(len(ballast))*3/2 || got >= 256<<20 {
		t.Errorf("limit %d while the model is held, want half again the live heap %d (and not the bound's)", got, len(ballast))
	}
	runtime.KeepAlive(ballast)
	ballast = nil
	Release()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) != limit && time.Now().Before(deadline) {
		runtime.GC() // cleanups run after a collection, on their own goroutine
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Fatalf("memory limit %d once the model was collected, was %d", got, limit)
	}
}
