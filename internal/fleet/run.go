package fleet

import (
	"context"
	"sync"
)

// ScanFunc scans one target and returns its summary line. It writes the
// target's result itself and must not keep it: the runner holds lines
// only.
type ScanFunc func(ctx context.Context, index int, t Target) Line

// Run scans targets with at most parallel in flight (≤ 0: one at a time)
// and returns their lines in target order; indexes, when not nil, are the
// targets' indexes in the file (a --target-index run). done, when not nil, is called as
// each target finishes (from the goroutine that scanned it). A target that
// fails is a line with its error, never a stop of the others; a cancelled
// context stops targets not yet started, which get a line saying so.
func Run(ctx context.Context, targets []Target, indexes []int, parallel int, scan ScanFunc, done func(Line)) []Line {
	if parallel <= 0 {
		parallel = 1
	}
	lines := make([]Line, len(targets))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, t := range targets {
		idx := i
		if indexes != nil {
			idx = indexes[i]
		}
		notStarted := Line{Name: t.Name, URL: t.URL, Index: idx, Exit: ExitInterrupted}
		acquired := false
		select {
		case sem <- struct{}{}:
			acquired = true
		case <-ctx.Done():
		}
		if ctx.Err() != nil { // also when a slot and the cancel came at once
			if acquired {
				<-sem
			}
			notStarted.Error = "not started: " + context.Cause(ctx).Error()
			lines[i] = notStarted
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			l := scan(ctx, idx, t)
			l.Name, l.URL, l.Index = t.Name, t.URL, idx
			lines[i] = l
			if done != nil {
				done(l)
			}
		}()
	}
	wg.Wait()
	return lines
}
