package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// ciFlags are the CI options every command producing a result can offer:
// --ignore-file, and with a result of its own --baseline and --min-score.
// A command registers them, resolves them with its other flags, applies
// them to its result before writing it, and gates on the score after
// --fail-on.
type ciFlags struct {
	baseline   string
	ignoreFile string
	minScore   int
}

func (c *ciFlags) register(cmd *cobra.Command, withBaseline bool) {
	fl := cmd.Flags()
	if withBaseline {
		fl.StringVar(&c.baseline, "baseline", "", "earlier JSON result: report only findings it did not have")
		fl.IntVar(&c.minScore, "min-score", 0, "exit 1 when the score (0-100) is below this (0: off)")
	}
	fl.StringVar(&c.ignoreFile, "ignore-file", "", "YAML file of accepted findings (fingerprint, reason, expires)")
}

func (c *ciFlags) resolve() error {
	if c.minScore < 0 || c.minScore > 100 {
		return usageErr("--min-score %d: want 0 to 100", c.minScore)
	}
	return nil
}

// apply marks the findings the ignore file and the baseline cover.
func (c *ciFlags) apply(res *report.Result) error {
	err := report.ApplyCIOptions(res, report.CIOptions{Baseline: c.baseline, IgnoreFile: c.ignoreFile, Now: time.Now()})
	if err != nil {
		return usageErr("%v", err)
	}
	return nil
}

// gateScore fails the run, saying why, when the score is below --min-score.
func (c *ciFlags) gateScore(res *report.Result) error {
	if fail, why := report.Gate(res, "", c.minScore); fail {
		return &ExitError{Code: ExitFindings, Err: errors.New(why)}
	}
	return nil
}

// failOnFlag is --fail-on, parsed.
type failOnFlag struct {
	raw string
	sev finding.Severity
}

func (f *failOnFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.raw, "fail-on", "low", "exit 1 when a finding at or above this severity exists (critical|high|medium|low|info|none)")
}

func (f *failOnFlag) resolve() error {
	sev, _, err := finding.ParseSeverity(f.raw)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	f.sev = sev
	return nil
}

// reportFlags are the report command's options.
type reportFlags struct {
	ci        ciFlags
	failOn    failOnFlag
	outputs   []string
	format    string
	quiet     bool
	noColor   bool
	sourceURL string
	anchor    string
	// deviceFormat is the format of an output that is a device (--format
	// when given; empty: JSON).
	deviceFormat string
}

func newReportCmd(s IO) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report FILE.json",
		Short: "Convert a saved JSON result to text, SARIF, HTML, Markdown or JUnit",
		Long: `Render a saved JSON result (from scan or code; "-" reads stdin) in other
formats: each -o PATH takes its format from the extension (.json .sarif .html
.md .xml .txt), and stdout shows the text report unless --quiet or -o is
given (--format picks another and prints it even with -o). The output is byte for byte what the original run wrote.
--baseline and --ignore-file mark findings as suppressed before rendering;
suppressed findings stay listed with their reason but never count for
--fail-on (nor, for the ignore file, for the score). An ignore file lists
fingerprints as printed in every report:

  ignore:
    - fingerprint: 748cc4655aeba377f9f0111087c58139
      reason: internal-only service, see SEC-12
      expires: 2027-01-31     # optional; reported again after that day

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (or
a score below --min-score), 2 usage error or unreadable input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// With -o, stdout stays quiet unless --format asks for something.
			if len(f.outputs) > 0 && !cmd.Flags().Changed("format") {
				f.quiet = true
			}
			// An output that is a device (-o /dev/null) takes --format
			// when given, else JSON.
			if cmd.Flags().Changed("format") {
				f.deviceFormat = f.format
			}
			return runReport(s, args[0], &f)
		},
	}
	f.ci.register(cmd, true)
	f.failOn.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the result to PATH in the format of its extension (repeatable)")
	fl.StringVar(&f.format, "format", "text", "stdout format: text, json, sarif, html, md or junit")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout")
	fl.BoolVar(&f.noColor, "no-color", false, "no colour in the text report")
	fl.StringVar(&f.anchor, "sarif-anchor", "", "repository file SARIF results without a source line point at (default "+report.DefaultSARIFAnchor+")")
	fl.StringVar(&f.sourceURL, "source-url", "", "link source lines in HTML and Markdown to this repository URL (e.g. https://github.com/o/r/blob/SHA)")
	return cmd
}

func runReport(s IO, path string, f *reportFlags) error {
	if err := f.ci.resolve(); err != nil {
		return err
	}
	if err := f.failOn.resolve(); err != nil {
		return err
	}
	stdout, err := report.ForFormat(f.format)
	if err != nil {
		return usageErr("--format: %v", err)
	}
	for _, p := range f.outputs {
		if _, err := report.ForOutput(p, f.deviceFormat); err != nil {
			return usageErr("-o: %v", err)
		}
	}
	res, err := report.Load(path, s.In)
	if err != nil {
		return usageErr("report: %v", err)
	}
	if err := f.ci.apply(res); err != nil {
		return err
	}
	opt := report.Options{FailOn: f.failOn.raw, SourceURL: f.sourceURL, SARIFAnchor: f.anchor, Format: f.deviceFormat}
	if err := report.WriteFiles(res, f.outputs, opt); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if !f.quiet {
		opt.Color = !f.noColor && terminalColor(s.Out)
		if err := stdout(s.Out, res, opt); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if finding.AtLeast(res.Findings, f.failOn.sev) {
		return errFindings // the report said it all
	}
	return f.ci.gateScore(res)
}

// terminalColor: colour only when w is a terminal and neither NO_COLOR nor
// TERM=dumb say otherwise.
func terminalColor(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && report.ColorFor(f)
}
