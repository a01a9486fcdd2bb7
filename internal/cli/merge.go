package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/fleet"
	"github.com/authprobe/authprobe/internal/report"
)

// mergeFlags are the merge command's options.
type mergeFlags struct {
	failOn  failOnFlag
	outputs []string
	quiet   bool
}

func newMergeCmd(s IO) *cobra.Command {
	var f mergeFlags
	cmd := &cobra.Command{
		Use:   "merge RESULT.json|DIR... -o OUT",
		Short: "One report from many results (a fan-out that ran elsewhere)",
		Long: `Merge saved results into one report: .sarif has one run per target (each
with its own automation category), .html a section per target, .json, .md
and .txt one part per target. A target is named after its file
(DIR/shop-prod.json is shop-prod); a directory stands for the .json files
in it. Summaries (summary.json) and earlier merges are recognised: summaries
are skipped, merges are expanded. Stdout shows one line per target unless
--quiet. Exit codes: 0 no finding at or above --fail-on, 1 findings at or
above it, 2 usage error or unreadable input.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMerge(s, args, &f)
		},
	}
	f.failOn.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the merged report to PATH (.sarif .html .json .md .txt; repeatable)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing on stdout")
	return cmd
}

func runMerge(s IO, args []string, f *mergeFlags) error {
	if err := f.failOn.resolve(); err != nil {
		return err
	}
	if len(f.outputs) == 0 && f.quiet {
		return usageErr("merge: nothing to do: give -o OUT or drop --quiet")
	}
	writers := make([]report.MergeWriter, len(f.outputs))
	for i, p := range f.outputs {
		w, err := report.MergeForPath(p)
		if err != nil {
			return usageErr("-o: %v", err)
		}
		writers[i] = w
	}
	results, err := loadForMerge(args)
	if err != nil {
		return usageErr("merge: %v", err)
	}
	opt := report.Options{FailOn: f.failOn.raw}
	for i, p := range f.outputs {
		w := writers[i]
		if err := report.WriteAtomic(p, func(out io.Writer) error { return w(out, results, opt) }); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	failed := false
	lines := make([]fleet.Line, len(results))
	for i, n := range results {
		lines[i] = fleet.LineOf(n.Result)
		lines[i].Name, lines[i].URL, lines[i].Index, lines[i].Result = n.Name, n.Result.Target, i, n.Name+".json"
		if finding.AtLeast(n.Result.Findings, f.failOn.sev) {
			failed = true
			lines[i].Exit = ExitFindings
		}
	}
	if !f.quiet {
		if err := fleet.NewSummary(lines).WriteTable(s.Out); err != nil {
			return err
		}
	}
	if failed {
		return errFindings
	}
	return nil
}

// loadForMerge reads every argument (files, or directories of .json files)
// and returns the results by target name, sorted by name.
func loadForMerge(args []string) ([]report.Named, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		found, err := filepath.Glob(filepath.Join(a, "*.json"))
		if err != nil {
			return nil, err
		}
		files = append(files, found...)
	}
	var out []report.Named
	seen := map[string]string{}
	add := func(n report.Named, from string) error {
		if prev, ok := seen[n.Name]; ok {
			return fmt.Errorf("target %q in both %s and %s", n.Name, prev, from)
		}
		seen[n.Name] = from
		out = append(out, n)
		return nil
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var head struct {
			Schema string `json:"schema"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		switch head.Schema {
		case fleet.SummarySchema:
			continue
		case report.MergeSchema:
			var m report.Merged
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			for _, n := range m.Results {
				if n.Result == nil || n.Result.Schema != report.Schema {
					return nil, fmt.Errorf("%s: target %q has no %s result", p, n.Name, report.Schema)
				}
				if err := add(n, p); err != nil {
					return nil, err
				}
			}
			continue
		}
		r, err := report.ReadJSON(p)
		if err != nil {
			return nil, err
		}
		if err := add(report.Named{Name: strings.TrimSuffix(filepath.Base(p), ".json"), Result: r}, p); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no results among %s", strings.Join(args, ", "))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
