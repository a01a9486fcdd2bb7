package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/drift"
	"github.com/authprobe/authprobe/internal/report"
)

// compareFlags are the compare command's options.
type compareFlags struct {
	failOn  failOnFlag
	outputs []string
	format  string
	quiet   bool
}

func newCompareCmd(s IO) *cobra.Command {
	var f compareFlags
	cmd := &cobra.Command{
		Use:   "compare A.json B.json",
		Short: "Environment drift: matrix, policy and findings per endpoint between two results",
		Long: `Compare two results of the same API in two environments (staging and
production, two deployments) endpoint by endpoint: principals accepted on one
side and rejected on the other, the inferred policy, findings present on one
side only (with the proof from that side and the other side's matrix), and
endpoints present in one result only. Works on scan --targets output
(compare DIR/staging.json DIR/prod.json). -o PATH writes .json, .txt or .md.
Severity of a drift: its most severe one-sided finding; high for a principal
accepted on one side only; medium for a policy change; info for an endpoint
on one side only. Exit codes: 0 no drift at or above --fail-on, 1 drift at
or above it, 2 usage error or unreadable input.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(s, args[0], args[1], &f)
		},
	}
	f.failOn.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the comparison to PATH (.json .txt .md; repeatable)")
	fl.StringVar(&f.format, "format", "text", "stdout format: text, json or md")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout")
	return cmd
}

func runCompare(s IO, pathA, pathB string, f *compareFlags) error {
	if err := f.failOn.resolve(); err != nil {
		return err
	}
	stdout, err := drift.ForFormat(f.format)
	if err != nil {
		return usageErr("--format: %v", err)
	}
	writers := make([]drift.Writer, len(f.outputs))
	for i, p := range f.outputs {
		if writers[i], err = drift.ForPath(p); err != nil {
			return usageErr("-o: %v", err)
		}
	}
	if pathA == "-" && pathB == "-" {
		return usageErr("compare: only one of A and B can be stdin")
	}
	a, err := report.Load(pathA, s.In)
	if err != nil {
		return usageErr("compare: %v", err)
	}
	b, err := report.Load(pathB, s.In)
	if err != nil {
		return usageErr("compare: %v", err)
	}
	d := drift.Between(a, b)
	for i, p := range f.outputs {
		w := writers[i]
		if err := report.WriteAtomic(p, func(out io.Writer) error { return w(out, d) }); err != nil {
			return fmt.Errorf("compare: %w", err)
		}
	}
	if !f.quiet {
		if err := stdout(s.Out, d); err != nil {
			return fmt.Errorf("compare: %w", err)
		}
	}
	if d.AtLeast(f.failOn.sev) {
		return errFindings
	}
	return nil
}
