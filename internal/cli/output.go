package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/report"
)

// outputFlags are the flags every command that produces a result shares.
type outputFlags struct {
	outputs     []string
	format      string
	quiet       bool
	failOn      string
	showSecrets bool
	noColor     bool
	ci          ciFlags

	failAt finding.Severity
	// stdoutJSON: -o - was given; the JSON result goes to stdout in place
	// of the report.
	stdoutJSON bool
	// formatSet: --format was given (it then also names the format of an
	// output that is a device, like -o /dev/null).
	formatSet func() bool
}

func (o *outputFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.outputs, "output", "o", nil, "write the result to PATH; the format follows the extension (.json .txt ...); - is JSON on stdout; a device such as /dev/null takes --format, else JSON; repeatable")
	fl.StringVar(&o.format, "format", "text", "stdout format: text or json")
	fl.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing on stdout")
	fl.StringVar(&o.failOn, "fail-on", "low", "exit 1 when a finding at or above this severity exists (critical|high|medium|low|info|none)")
	fl.BoolVar(&o.showSecrets, "show-secrets", false, "do not redact credentials in output")
	fl.BoolVar(&o.noColor, "no-color", false, "no colour in the text report")
	o.ci.register(cmd, true)
	o.formatSet = func() bool { return fl.Changed("format") }
}

// deviceFormat is the format of an output that is a device: --format when
// given, else JSON.
func (o *outputFlags) deviceFormat() string {
	if o.formatSet != nil && o.formatSet() {
		return o.format
	}
	return "json"
}

// files are the outputs written to paths: every -o but "-".
func (o *outputFlags) files() []string {
	var out []string
	for _, p := range o.outputs {
		if p != "-" {
			out = append(out, p)
		}
	}
	return out
}

// resolve validates the flags before any work is done.
func (o *outputFlags) resolve() error {
	sev, _, err := finding.ParseSeverity(o.failOn)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	o.failAt = sev
	if err := o.ci.resolve(); err != nil {
		return err
	}
	if o.format != "text" && o.format != "json" {
		return usageErr("--format %q: want text or json", o.format)
	}
	o.stdoutJSON = len(o.files()) < len(o.outputs)
	for _, p := range o.files() {
		if _, err := report.ForOutput(p, o.deviceFormat()); err != nil {
			return usageErr("-o %s: %v", p, err)
		}
		if report.Device(p) {
			continue // written in place
		}
		if err := writableDir(filepath.Dir(p)); err != nil {
			return usageErr("-o %s: %v", p, err)
		}
	}
	return nil
}

// writableDir checks, before a scan starts, that outputs can be written
// into dir: a missing directory used to fail only after the whole scan.
func writableDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("directory %s does not exist", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".authprobe-check-*")
	if err != nil {
		return fmt.Errorf("directory %s is not writable", dir)
	}
	f.Close()
	return os.Remove(f.Name())
}

// finish writes every output and stdout and turns --fail-on into the exit.
func (o *outputFlags) finish(s IO, res *report.Result) error {
	finding.Sort(res.Findings)
	// The grade is decided once, on what the result says was tested.
	report.SetGrade(res)
	if err := o.ci.apply(res); err != nil {
		return err
	}
	if err := report.WriteFiles(res, o.files(), report.Options{FailOn: o.failOn, Format: o.deviceFormat()}); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if o.stdoutJSON {
		if err := report.WriteJSON(s.Out, res); err != nil {
			return err
		}
	} else if !o.quiet {
		var err error
		if o.format == "json" {
			err = report.WriteJSON(s.Out, res)
		} else {
			err = report.WriteText(s.Out, res, report.Options{Color: !o.noColor && colorFor(s.Out)})
		}
		if err != nil {
			return err
		}
	}
	if finding.AtLeast(res.Findings, o.failAt) {
		return errFindings
	}
	return o.ci.gateScore(res)
}

// colorFor: colour only on a terminal, never with NO_COLOR or TERM=dumb.
func colorFor(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return report.ColorFor(f)
}

func newResult(target string, started time.Time) *report.Result {
	res := report.New(target, Version)
	res.StartedAt = started.UTC().Truncate(time.Second)
	return res
}
