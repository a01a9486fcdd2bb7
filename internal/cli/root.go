// Package cli owns authprobe's commands, flags and config file, and maps
// errors to exit codes. Work below it happens in the packages it calls.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
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

// IO bundles the streams of one invocation.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// Run executes authprobe with args and returns the process exit code.
func Run(ctx context.Context, args []string, in io.Reader, out, errw io.Writer) int {
	streams := IO{In: in, Out: out, Err: errw}
	root := newRoot(streams)
	root.SetArgs(args)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errw)
	err := root.ExecuteContext(ctx)
	if in := interrupted(ctx); in != nil {
		// Whatever else went wrong, the run was stopped: say so and
		// never exit 0 (a CI job killed by its timeout must not pass).
		var ee *ExitError
		if errors.As(err, &ee) && ee.Code == ExitUsage {
			fmt.Fprintf(errw, "authprobe: %v\n", ee.Err)
			return ExitUsage
		}
		fmt.Fprintf(errw, "authprobe: %v\n", in)
		return in.ExitCode()
	}
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(errw, "authprobe: %v\n", ee.Err)
		}
		return ee.Code
	}
	// cobra's own errors are flag and argument problems.
	fmt.Fprintf(errw, "authprobe: %v\n", err)
	return ExitUsage
}

func newRoot(s IO) *cobra.Command {
	root := &cobra.Command{
		Use:           "authprobe",
		Short:         "Find broken authentication in web APIs (JWTs and API keys)",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	token := &cobra.Command{Use: "token", Short: "Decode, audit, crack and forge JWTs offline"}
	token.AddCommand(newTokenDecodeCmd(s), newTokenCrackCmd(s), newTokenForgeCmd(s))
	root.AddCommand(newScanCmd(s), newCodeCmd(s), token, newReportCmd(s), newDiffCmd(s), newChecksCmd(s), newRetestCmd(s))
	root.AddCommand(newCompareCmd(s), newMergeCmd(s))
	return root
}
