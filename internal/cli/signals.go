package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// Interrupt is the cause of a run cancelled by SIGINT or SIGTERM. The run
// still writes its result, marked incomplete, and exits 130 or 143.
type Interrupt struct{ Signal os.Signal }

func (i *Interrupt) Error() string {
	return "interrupted by " + signalName(i.Signal) + " (results written are marked incomplete)"
}

// ExitCode is 128 + the signal number, as shells report it.
func (i *Interrupt) ExitCode() int {
	if i.Signal == syscall.SIGTERM {
		return ExitTerm
	}
	return ExitInterrupt
}

func signalName(s os.Signal) string {
	if s == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// SignalContext returns a context that the first SIGINT or SIGTERM cancels
// with an *Interrupt cause. After it, the signals get their default
// handling again, so a second Ctrl-C ends the process at once.
func SignalContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(&Interrupt{Signal: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// interrupted returns the interrupt that ended ctx, if one did.
func interrupted(ctx context.Context) *Interrupt {
	var in *Interrupt
	if errors.As(context.Cause(ctx), &in) {
		return in
	}
	return nil
}
