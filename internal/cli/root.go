// Package cli owns authprobe's commands, flags and config file, and maps
// errors to exit codes. Work below it happens in the packages it calls.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

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

// version is stamped by the build, if at all:
//
//	go build -ldflags "-X github.com/authprobe/authprobe/internal/cli.version=1.4.0" ./cmd/authprobe
var version string

// Version is the tool version written into every result and printed by
// --version: the stamped version, else the main module's version from the
// build information (a tag or pseudo-version for `go install
// ...@version` and for builds in a git checkout), else "devel".
var Version = resolveVersion(version, debug.ReadBuildInfo)

func resolveVersion(stamped string, info func() (*debug.BuildInfo, bool)) string {
	if stamped != "" {
		return stamped
	}
	if bi, ok := info(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
