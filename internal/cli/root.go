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
	root.AddCommand(newCompareCmd(s), newMergeCmd(s), newFixCmd(s))
	return root
}
