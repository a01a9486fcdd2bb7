package static

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// memoryBound is the collector's setting while a large analysis runs
// (Options.BoundMemory). Parsing builds what stays live to the end: a
// collection while it runs frees almost nothing, so the collector waits for
// a soft memory limit instead of running each time the heap doubles. After
// parsing, collection is back on and the limit leaves a margin above what
// the trees hold for the model and the rules. GOGC or GOMEMLIMIT in the environment win. The
// setting is process-wide: analyses running at once share one bound (the
// largest limit), and the last one to finish restores the collector.
type memoryBound struct{}

var bounds struct {
	sync.Mutex
	active         int
	percent, limit int64 // the collector's setting before the first
}

// boundMemory applies the bound for analysing paths; nil when the
// environment sets the collector.
func boundMemory(paths []string) *memoryBound {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return nil
	}
	want := memoryLimit(paths)
	bounds.Lock()
	defer bounds.Unlock()
	if bounds.active == 0 {
		bounds.limit = debug.SetMemoryLimit(want)
		bounds.percent = int64(debug.SetGCPercent(-1))
	} else if want > debug.SetMemoryLimit(-1) {
		debug.SetMemoryLimit(want)
	}
	bounds.active++
	return &memoryBound{}
}

// parsed turns collection back on for the model and the rules, which do
// make garbage, and raises the limit to half again what parsing left live
// when that is above it: a limit below the live trees only makes the
// collector run back to back (twice the CPU, no less memory).
func (b *memoryBound) parsed() {
	if b == nil {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	bounds.Lock()
	defer bounds.Unlock()
	debug.SetGCPercent(int(bounds.percent))
	if want := int64(ms.HeapAlloc) * 3 / 2; want > debug.SetMemoryLimit(-1) {
		debug.SetMemoryLimit(want)
	}
}

// restore puts the collector back as it was when the last analysis ends.
func (b *memoryBound) restore() {
	if b == nil {
		return
	}
	bounds.Lock()
	defer bounds.Unlock()
	if bounds.active--; bounds.active == 0 {
		debug.SetGCPercent(int(bounds.percent))
		debug.SetMemoryLimit(bounds.limit)
	}
}

// memoryLimit is the soft limit for analysing paths: the syntax trees
// hold about 24 times the source size (measured on 250k lines: 6.7 MB of
// source, 158 MB live after parsing; the collector does not scan them),
// and the model and the rules add a quarter of that, so 34 times leaves
// the collector room; never below 256 MiB.
func memoryLimit(paths []string) int64 {
	var size int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			size += st.Size()
		}
	}
	return max(256<<20, 34*size)
}
