package cli

import (
	"errors"
	"fmt"

	"github.com/authprobe/authprobe/internal/scan"
)

// Exit codes (README.md, docs/user-guide.md).
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitNoTest   = 3
	// ExitInterrupt and ExitTerm: stopped by SIGINT or SIGTERM.
	ExitInterrupt = 130
	ExitTerm      = 143
)

// ExitError carries an exit code up to Run.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode implements the exit-code convention.
func (e *ExitError) ExitCode() int { return e.Code }

// usageErr marks a usage or config error (exit 2).
func usageErr(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// untestable marks a run that could not test anything (exit 3).
func untestable(err error) error { return &ExitError{Code: ExitNoTest, Err: err} }

// errFindings is returned when findings reach --fail-on; it prints nothing.
var errFindings = &ExitError{Code: ExitFindings}

// settle turns the outcome of writing a scan's result into its exit when
// the scan stopped early: an interrupt is reported by Run (130/143); a
// budget spent before any check ran, or before the planned checks
// finished without a finding at --fail-on, could not test (3). Never 0
// for a scan that did not finish.
func settle(stop *scan.StoppedError, werr error) error {
	if stop == nil {
		return werr
	}
	var in *Interrupt
	interrupt := errors.As(stop.Cause, &in)
	switch {
	case stop.Setup && werr != nil && werr != errFindings:
		return werr
	case stop.Setup && interrupt:
		return nil // Run turns the interrupt into 130/143
	case interrupt:
		return werr
	case !stop.ChecksStarted:
		return untestable(errors.New(stop.Error()))
	case werr == errFindings:
		return werr
	}
	return untestable(errors.New(stop.Error()))
}

// exitErr maps the errors of package scan to exit codes.
func exitErr(err error) error {
	var (
		ue *scan.UsageError
		un *scan.UnreachableError
		pe *scan.PreflightError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ue):
		return &ExitError{Code: ExitUsage, Err: ue.Err}
	case errors.As(err, &un):
		return untestable(un.Err)
	case errors.As(err, &pe):
		return untestable(pe.Err)
	}
	return err
}
