package static

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"

	"github.com/authprobe/authprobe/internal/static/flask"
)

// memoryBound is the collector's setting while a large analysis runs
// (Options.BoundMemory). Parsing builds what stays live to the end: a
// collection while it runs frees almost nothing, so the collector waits for
// a soft memory limit instead of running each time the heap doubles. After
// parsing, collection is back on and the limit leaves a margin above what
// the trees hold for the model and the rules. GOGC or GOMEMLIMIT in the environment win. The
// setting is process-wide: analyses running at once share one bound (the
// largest limit), and the last one to finish restores the collector.
//
// The model an analysis returns holds the syntax trees until its caller
// has rendered it: the limit stays above what it holds until it is
// collected (restore), or the collector would run back to back on a heap
// it cannot shrink.
type memoryBound struct{}

var bounds struct {
	sync.Mutex
	active int // analyses running
	held   int // models returned and not yet collected
	// heldLimit is the limit while models are held: half again the
	// live heap when the largest was returned.
	heldLimit int64
	// percent and limit are the collector's setting before the first
	// analysis.
	percent, limit int64
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
	switch {
	case bounds.active == 0 && bounds.held == 0:
		bounds.limit = debug.SetMemoryLimit(want)
		bounds.percent = int64(debug.SetGCPercent(-1))
	case bounds.active == 0:
		debug.SetGCPercent(-1) // a held model's limit stands; percent was saved
		fallthrough
	default:
		if want > debug.SetMemoryLimit(-1) {
			debug.SetMemoryLimit(want)
		}
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
// With a model the caller goes on reading (keep), the limit stays at half
// again the live heap (the trees it holds and the model) until keep is
// collected: lowered at once, a limit below the live heap would make the
// collector run back to back while the caller renders the model.
func (b *memoryBound) restore(keep *flask.Project) {
	if b == nil {
		return
	}
	live := int64(0)
	if keep != nil {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live = int64(sample[0].Value.Uint64())
		}
	}
	bounds.Lock()
	defer bounds.Unlock()
	if want := live * 3 / 2; keep != nil && want > bounds.limit {
		bounds.held++
		bounds.heldLimit = max(bounds.heldLimit, want)
		runtime.AddCleanup(keep, releaseHeld, 0)
	}
	if bounds.active--; bounds.active == 0 {
		debug.SetGCPercent(int(bounds.percent))
		if bounds.held == 0 {
			debug.SetMemoryLimit(bounds.limit)
		} else {
			debug.SetMemoryLimit(bounds.heldLimit)
		}
	}
}

// Release says that the models of bounded analyses (Options.BoundMemory)
// are no longer referenced: one collection now reclaims their syntax trees
// (and lowers the limit again), before the caller's next allocations,
// rendering the report, would grow the heap above the trees. It does
// nothing when no model is held.
func Release() {
	bounds.Lock()
	held := bounds.held
	bounds.Unlock()
	if held > 0 {
		runtime.GC()
	}
}

// releaseHeld lowers the limit back once a kept model is collected and no
// analysis runs.
func releaseHeld(int) {
	bounds.Lock()
	defer bounds.Unlock()
	if bounds.held--; bounds.held == 0 {
		bounds.heldLimit = 0
		if bounds.active == 0 {
			debug.SetMemoryLimit(bounds.limit)
		}
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
