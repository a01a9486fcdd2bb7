package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/report"
)

// fleetFlags are the options of scan --targets.
type fleetFlags struct {
	targets  string
	parallel int
	index    int
	formats  []string
	list     bool
}

func (ff *fleetFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&ff.targets, "targets", "", "YAML file of targets to scan in one run; -o DIR/ gets DIR/<name>.json per target and DIR/summary.json")
	fl.IntVar(&ff.parallel, "parallel-targets", 4, "with --targets: targets scanned at once (per-host limits still hold)")
	fl.IntVar(&ff.index, "target-index", -1, "with --targets: scan only the target at this 0-based index (e.g. $JOB_COMPLETION_INDEX)")
	fl.StringSliceVar(&ff.formats, "target-formats", nil, "with --targets: also write DIR/<name>.EXT in these formats (sarif, html, md, xml, txt)")
	fl.BoolVar(&ff.list, "list-targets", false, `with --targets: print the targets as JSON ([{"index":0,"name":...,"url":...}]) for a CI matrix, and scan nothing`)
}

// fleetOnly are the flags that belong to the run over targets, not to the
// scan of each target.
var fleetOnly = map[string]bool{
	"targets": true, "parallel-targets": true, "target-index": true, "target-formats": true,
	"output": true, "quiet": true, "format": true, "list-targets": true,
}

// pathOptions are the scan options whose relative values in a targets
// file resolve against the file's directory.
var pathOptions = map[string]bool{"config": true, "spec": true, "source": true, "jwt-key": true, "wordlist": true, "baseline": true, "ignore-file": true}

// fleetRun is one scan --targets invocation.
type fleetRun struct {
	s       IO
	file    *fleet.File
	dir     string   // -o DIR/
	formats []string // extensions written per target besides json
	cmdline []string // flags given on the command line, replayed for every target
	hosts   *httpx.Hosts
}

func runFleet(ctx context.Context, s IO, cmd *cobra.Command, args []string, f *scanFlags) error {
	if len(args) > 0 {
		return usageErr("--targets: the URLs come from the targets file; drop %q", args[0])
	}
	file, err := fleet.Load(f.fleet.targets)
	if err != nil {
		return usageErr("--targets: %v", err)
	}
	if f.fleet.list {
		return listTargets(s.Out, file)
	}
	if f.out.format != "text" && f.out.format != "json" {
		return usageErr("--format %q: want text or json", f.out.format)
	}
	r := &fleetRun{s: s, file: file, cmdline: changedFlags(cmd.Flags())}
	if r.dir, err = outputDir(f.out.outputs); err != nil {
		return err
	}
	for _, ext := range f.fleet.formats {
		ext = strings.TrimPrefix(strings.ToLower(ext), ".")
		if _, err := report.ForFormat(ext); err != nil || ext == "json" {
			return usageErr("--target-formats %q: want sarif, html, md, xml or txt", ext)
		}
		r.formats = append(r.formats, ext)
	}
	// Per-host limits are the run's rate and concurrency (defaults and
	// command line): targets that share a host share them.
	base, err := r.flags(fleet.Options{})
	if err != nil {
		return err
	}
	r.hosts = httpx.NewHosts(httpx.HostLimits{Rate: base.rate, Concurrency: base.concurrency})
	targets, indexes := file.Targets, []int(nil)
	summaryName := "summary.json"
	if f.fleet.index >= 0 {
		t, err := file.Select(f.fleet.index)
		if err != nil {
			return usageErr("--target-index: %v", err)
		}
		targets, indexes = []fleet.Target{t}, []int{f.fleet.index}
		// Indexed jobs share one volume: each writes its own summary.
		summaryName = fmt.Sprintf("summary.%d.json", f.fleet.index)
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return fmt.Errorf("--targets: %w", err)
	}
	lines := fleet.Run(ctx, targets, indexes, f.fleet.parallel, r.scan, newProgress(s.Err).targetDone(len(targets)))
	sum := fleet.NewSummary(lines)
	path := filepath.Join(r.dir, summaryName)
	if err := report.WriteAtomic(path, sum.WriteJSON); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	if !f.out.quiet {
		if f.out.format == "json" {
			err = sum.WriteJSON(s.Out)
		} else {
			err = sum.WriteTable(s.Out)
		}
		if err != nil {
			return err
		}
	}
	if sum.Exit != ExitOK {
		return &ExitError{Code: sum.Exit}
	}
	return nil
}

// listTargets prints the targets as one JSON line, the shape a CI matrix
// (fromJSON) takes.
func listTargets(w io.Writer, file *fleet.File) error {
	type entry struct {
		Index int    `json:"index"`
		Name  string `json:"name"`
		URL   string `json:"url"`
	}
	list := make([]entry, len(file.Targets))
	for i, t := range file.Targets {
		list[i] = entry{Index: i, Name: t.Name, URL: t.URL}
	}
	data, err := json.Marshal(list)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// outputDir is the one -o DIR/ of a run over targets.
func outputDir(outputs []string) (string, error) {
	if len(outputs) != 1 {
		return "", usageErr("--targets needs one -o DIR/ (results go to DIR/<name>.json and DIR/summary.json)")
	}
	o := outputs[0]
	if st, err := os.Stat(o); (err == nil && st.IsDir()) || strings.HasSuffix(o, "/") || strings.HasSuffix(o, string(os.PathSeparator)) {
		return filepath.Clean(o), nil
	}
	return "", usageErr("--targets: -o %s is not a directory; write -o %s/", o, o)
}

// changedFlags lists the flags set on the command line as --name=value,
// a list flag once per value, leaving out the run's own flags.
func changedFlags(fs *pflag.FlagSet) []string {
	var args []string
	fs.Visit(func(fl *pflag.Flag) {
		if fleetOnly[fl.Name] {
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				args = append(args, "--"+fl.Name+"="+v)
			}
			return
		}
		args = append(args, "--"+fl.Name+"="+fl.Value.String())
	})
	return args
}

// flags parses one target's scan flags: the file's defaults, then the
// target's options, then the command line, each overriding the one before
// (as flags override a config).
func (r *fleetRun) flags(own fleet.Options) (*scanFlags, error) {
	var args []string
	for _, o := range []fleet.Options{r.file.Defaults, own} {
		args = append(args, r.resolve(o).Args()...)
	}
	args = append(args, r.cmdline...)
	cmd := &cobra.Command{Use: "scan"}
	f := &scanFlags{}
	f.register(cmd)
	cmd.Flags().SetOutput(io.Discard)
	if err := cmd.Flags().Parse(args); err != nil {
		return nil, usageErr("--targets: %v", err)
	}
	return f, nil
}

// resolve makes the relative paths among options relative to the file.
func (r *fleetRun) resolve(o fleet.Options) fleet.Options {
	out := fleet.Options{}
	for k, vs := range o {
		for _, v := range vs {
			if pathOptions[k] && v != "" && v != "-" && !filepath.IsAbs(v) && !isURL(v) {
				v = filepath.Join(r.file.Dir, v)
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}

// scan scans one target through the single-target path and summarises it.
func (r *fleetRun) scan(ctx context.Context, _ int, t fleet.Target) fleet.Line {
	started := time.Now()
	fail := func(err error) fleet.Line {
		l := fleet.Line{Exit: exitCodeOf(err), Error: err.Error(), DurationMS: time.Since(started).Milliseconds()}
		return l
	}
	f, err := r.flags(t.Options)
	if err != nil {
		return fail(err)
	}
	base := filepath.Join(r.dir, t.Name)
	f.out.outputs = []string{base + ".json"}
	for _, ext := range r.formats {
		f.out.outputs = append(f.out.outputs, base+"."+ext)
	}
	f.out.quiet = true
	if err := f.out.resolve(); err != nil {
		return fail(err)
	}
	if f.transcript != "" {
		f.transcript = base + ".transcript.jsonl"
	}
	cfg, err := r.config(t, f)
	if err != nil {
		return fail(err)
	}
	res, err := scanAndWrite(ctx, r.s, t.URL, cfg, f, r.hosts, false)
	if res == nil {
		return fail(err)
	}
	l := fleet.LineOf(res)
	l.Result = t.Name + ".json"
	l.Exit = exitCodeOf(err)
	if err != nil && l.Exit != ExitFindings {
		l.Error = err.Error()
	}
	return l
}

// config is the target's scan config: its config file, its inline config,
// or the --config every target shares, in that order.
func (r *fleetRun) config(t fleet.Target, f *scanFlags) (*Config, error) {
	switch {
	case t.Config != "":
		c, err := LoadConfig(t.Config)
		if err != nil {
			return nil, usageErr("config: %v", err)
		}
		return c, nil
	case t.Inline != nil:
		var c Config
		dec := yaml.NewDecoder(bytes.NewReader(t.Inline))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			return nil, usageErr("inline config: %v", err)
		}
		c.dir = r.file.Dir
		return &c, nil
	case f.config != "":
		c, err := LoadConfig(f.config)
		if err != nil {
			return nil, usageErr("config: %v", err)
		}
		return c, nil
	}
	return &Config{}, nil
}

// exitCodeOf maps an error to the exit code Run would return for it.
func exitCodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitUsage
}
