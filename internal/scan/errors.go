package scan

import (
	"context"
	"errors"
	"fmt"
)

// UsageError is a config or flag the scan cannot start with: a bad target,
// an identity that can never be sent, an unknown check, a spec that does
// not load.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usage(err error) error { return &UsageError{Err: err} }

func usagef(format string, a ...any) error { return usage(fmt.Errorf(format, a...)) }

// UnreachableError says the target could not be tested: it did not
// answer, answered nothing usable, or there was nothing to scan.
type UnreachableError struct{ Err error }

func (e *UnreachableError) Error() string { return e.Err.Error() }
func (e *UnreachableError) Unwrap() error { return e.Err }

// PreflightError says an identity could not be used (its login failed,
// or its credential is refused like no credential at all).
type PreflightError struct{ Err error }

func (e *PreflightError) Error() string { return e.Err.Error() }
func (e *PreflightError) Unwrap() error { return e.Err }

// StoppedError says the scan's context ended — its time budget
// (ErrBudget) or an interrupt — before the scan finished. The result
// returned beside it holds what was found, marked incomplete.
type StoppedError struct {
	// Cause is why the context ended.
	Cause error
	// Setup: the scan stopped before the engine ran (loading the spec or
	// the source); the result has no findings.
	Setup bool
	// ChecksStarted: calibration was done and the checks had begun.
	ChecksStarted bool
}

func (e *StoppedError) Error() string {
	if e.ChecksStarted {
		return fmt.Sprintf("%v before the planned checks finished (the result written is incomplete)", e.Cause)
	}
	return fmt.Sprintf("%v before any check ran (the result written is incomplete)", e.Cause)
}

func (e *StoppedError) Unwrap() error { return e.Cause }

// stoppedBy returns the StoppedError of an ended context, nil while it
// runs.
func stoppedBy(ctx context.Context, setup, checksStarted bool) *StoppedError {
	if ctx.Err() == nil {
		return nil
	}
	return &StoppedError{Cause: context.Cause(ctx), Setup: setup, ChecksStarted: checksStarted}
}

// Budget reports whether the scan's time budget ended it.
func (e *StoppedError) Budget() bool { return errors.Is(e.Cause, ErrBudget) }
