package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// diffFlags are the diff command's options.
type diffFlags struct {
	ci      ciFlags
	failOn  failOnFlag
	outputs []string
	format  string
	quiet   bool
	noColor bool
}

func newDiffCmd(s IO) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "List new, fixed and unchanged findings between two results",
		Long: `Compare two saved results finding by finding: by fingerprint, and for
source findings whose code only moved, by rule, file and line text. New
findings are those only in NEW, fixed those only in OLD. -o PATH writes the
diff as .json, .txt or .md; stdout shows it as text unless --quiet (--format
json or md for others). --ignore-file is applied to NEW first. Exit codes: 0
no new finding at or above --fail-on, 1 new findings at or above it, 2 usage
error or unreadable input.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(s, args[0], args[1], &f)
		},
	}
	f.ci.register(cmd, false)
	f.failOn.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the diff to PATH (.json .txt .md; repeatable)")
	fl.StringVar(&f.format, "format", "text", "stdout format: text, json or md")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout")
	fl.BoolVar(&f.noColor, "no-color", false, "no colour in the text output")
	return cmd
}

func runDiff(s IO, oldPath, newPath string, f *diffFlags) error {
	if err := f.failOn.resolve(); err != nil {
		return err
	}
	stdout, err := report.DiffForFormat(f.format)
	if err != nil {
		return usageErr("--format: %v", err)
	}
	writers := make([]report.DiffWriter, len(f.outputs))
	for i, p := range f.outputs {
		if writers[i], err = report.DiffForPath(p); err != nil {
			return usageErr("-o: %v", err)
		}
	}
	if oldPath == "-" && newPath == "-" {
		return usageErr("diff: only one of OLD and NEW can be stdin")
	}
	old, err := report.Load(oldPath, s.In)
	if err != nil {
		return usageErr("diff: %v", err)
	}
	cur, err := report.Load(newPath, s.In)
	if err != nil {
		return usageErr("diff: %v", err)
	}
	if err := f.ci.apply(cur); err != nil {
		return err
	}
	d := report.Changes(old, cur)
	opt := report.Options{FailOn: f.failOn.raw}
	for i, p := range f.outputs {
		w := writers[i]
		if err := report.WriteAtomic(p, func(out io.Writer) error { return w(out, d, opt) }); err != nil {
			return fmt.Errorf("diff: %w", err)
		}
	}
	if !f.quiet {
		opt.Color = !f.noColor && terminalColor(s.Out)
		if err := stdout(s.Out, d, opt); err != nil {
			return fmt.Errorf("diff: %w", err)
		}
	}
	if finding.AtLeast(d.Added, f.failOn.sev) {
		return errFindings
	}
	return nil
}
