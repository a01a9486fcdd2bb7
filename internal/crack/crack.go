package crack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Options tune Crack.
type Options struct {
	// Workers is the number of guessing goroutines; 0 means one per core.
	Workers int
	// Progress, when set, is called about once per ProgressEvery (default 1s)
	// from a separate goroutine.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// portable forces the pure-Go SHA-256 path (tests and benchmarks).
	portable bool
}

// Progress is a snapshot of a running crack.
type Progress struct {
	Tried   uint64
	Total   int64 // candidates in all, -1 if unknown
	Rate    float64
	Elapsed time.Duration
	ETA     time.Duration // -1 if unknown
}

// Result is the outcome of Crack.
type Result struct {
	Found   bool
	Secret  []byte
	Tried   uint64
	Elapsed time.Duration
	Rate    float64 // guesses per second
	Known   bool    // the secret is on the built-in list of public defaults
}

// Crack tries the candidates of src against t on all workers until one signs
// t, src is exhausted, or ctx is done. When ctx ends the run first, the
// partial Result comes back with ctx's error.
func Crack(ctx context.Context, t *Target, src Source, opt Options) (Result, error) {
	if t == nil || src == nil {
		return Result{}, errors.New("crack: nil target or source")
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	run := &run{
		full:  make(chan *Batch, workers),
		free:  make(chan *Batch, 2*workers+1),
		start: time.Now(),
	}
	for i := 0; i < cap(run.free); i++ {
		run.free <- NewBatch()
	}
	total := src.Size() // before the producer starts reading src
	inner, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		run.produce(inner, src)
	}()
	var workersWG sync.WaitGroup
	for i := 0; i < workers; i++ {
		workersWG.Add(1)
		go func() {
			defer workersWG.Done()
			run.work(newEngine(t, opt.portable), cancel)
		}()
	}
	stopProgress := make(chan struct{})
	if opt.Progress != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run.report(opt, total, stopProgress)
		}()
	}
	workersWG.Wait()
	cancel()
	close(stopProgress)
	wg.Wait()

	res := run.result()
	if res.Found {
		if !t.Verify(res.Secret) {
			return res, fmt.Errorf("crack: internal error: candidate %q does not verify", res.Secret)
		}
		res.Known = IsBuiltin(res.Secret)
		return res, nil
	}
	if run.srcErr != nil {
		return res, fmt.Errorf("crack: %w", run.srcErr)
	}
	if err := ctx.Err(); err != nil && !run.exhausted.Load() {
		return res, err
	}
	return res, nil
}

// run is the shared state of one Crack call.
type run struct {
	full, free chan *Batch
	start      time.Time
	tried      atomic.Uint64
	exhausted  atomic.Bool

	mu     sync.Mutex
	secret []byte
	srcErr error
}

// produce fills batches from src; it is the only reader of src.
func (r *run) produce(ctx context.Context, src Source) {
	defer close(r.full)
	for {
		var b *Batch
		select {
		case b = <-r.free:
		case <-ctx.Done():
			return
		}
		b.Reset()
		err := src.Next(b)
		if errors.Is(err, io.EOF) {
			r.exhausted.Store(true)
			return
		}
		if err != nil {
			r.mu.Lock()
			r.srcErr = err
			r.mu.Unlock()
			return
		}
		select {
		case r.full <- b:
		case <-ctx.Done():
			return
		}
	}
}

// work guesses batch after batch; a hit cancels the run.
func (r *run) work(e engine, cancel context.CancelFunc) {
	for b := range r.full {
		r.mu.Lock()
		done := r.secret != nil
		r.mu.Unlock()
		if !done {
			if i := e.find(b); i >= 0 {
				r.tried.Add(uint64(i + 1))
				r.mu.Lock()
				if r.secret == nil {
					r.secret = append([]byte{}, b.At(i)...)
				}
				r.mu.Unlock()
				cancel()
			} else {
				r.tried.Add(uint64(b.Len()))
			}
		}
		r.free <- b
	}
}

func (r *run) result() Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	elapsed := time.Since(r.start)
	res := Result{Found: r.secret != nil, Secret: r.secret, Tried: r.tried.Load(), Elapsed: elapsed}
	if s := elapsed.Seconds(); s > 0 {
		res.Rate = float64(res.Tried) / s
	}
	return res
}

// report calls opt.Progress periodically until stop is closed.
func (r *run) report(opt Options, total int64, stop <-chan struct{}) {
	every := opt.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		p := Progress{Tried: r.tried.Load(), Total: total, Elapsed: time.Since(r.start), ETA: -1}
		if s := p.Elapsed.Seconds(); s > 0 {
			p.Rate = float64(p.Tried) / s
		}
		if total >= 0 && p.Rate > 0 && uint64(total) >= p.Tried {
			secs := float64(uint64(total)-p.Tried) / p.Rate
			p.ETA = time.Duration(math.MaxInt64) // beyond what a Duration holds
			if secs < float64(math.MaxInt64/int64(time.Second)) {
				p.ETA = time.Duration(secs * float64(time.Second))
			}
		}
		opt.Progress(p)
	}
}
