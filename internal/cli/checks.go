package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/authprobe/authprobe/internal/catalog"
	"github.com/authprobe/authprobe/internal/engine"
)

func newChecksCmd(s IO) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checks",
		Short: "List every check id (what --checks and --skip accept) and every rule id (what findings carry)",
		Long: `List the scan's checks and every rule.

A check id names one check of the scan; --checks and --skip accept it, a
family prefix of it (jwt, authz) or one of the rule ids it reports. A rule
id names a kind of finding (the "rule" of a result); rules of kind probe
come from scan's checks, rules of kind static from code.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "json":
				return writeChecksJSON(s.Out)
			case "text":
				return writeChecksText(s.Out)
			}
			return usageErr("--format %q: want text or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// reportedBy maps each rule id to the id of the registered check that
// reports it.
func reportedBy() map[string]string {
	by := map[string]string{}
	for _, c := range engine.Registry() {
		for _, r := range c.Rules {
			if _, ok := by[r]; !ok {
				by[r] = c.ID
			}
		}
	}
	return by
}

// listedRules are the catalog's rules, less probe rules no check reports.
func listedRules() []catalog.Entry {
	by := reportedBy()
	var out []catalog.Entry
	for _, e := range catalog.All() {
		if e.Kind == catalog.Probe && by[e.ID] == "" {
			continue
		}
		out = append(out, e)
	}
	return out
}

func writeChecksText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Checks: ids --checks and --skip accept (also a family prefix such as jwt, or a rule id)")
	fmt.Fprintln(tw, "CHECK ID\tRULE IDS\tWHAT IT DOES")
	for _, c := range engine.Registry() {
		for i, r := range c.Rules {
			if i == 0 {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", c.ID, r, c.Doc)
			} else {
				fmt.Fprintf(tw, "\t%s\t\n", r)
			}
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "Rules: ids findings carry (probe: from scan's checks, static: from code)")
	fmt.Fprintln(tw, "RULE ID\tKIND\tSEVERITY\tCWE\tOWASP\tTITLE")
	for _, e := range listedRules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, e.Severity,
			strings.Join(e.CWE, ","), strings.Join(e.OWASP, ","), e.Title)
	}
	return tw.Flush()
}

// writeChecksJSON writes one row per rule, as before, each with the id of
// the check that reports it (Check; empty for static rules), followed by
// one row per check (Kind "check", its rule ids in Rules).
func writeChecksJSON(w io.Writer) error {
	type row struct {
		ID, Kind    string
		Title       string `json:",omitempty"`
		Severity    string `json:",omitempty"`
		CWE, OWASP  []string
		Remediation string   `json:",omitempty"`
		Check       string   `json:",omitempty"`
		Rules       []string `json:",omitempty"`
		Doc         string   `json:",omitempty"`
	}
	by := reportedBy()
	var rows []row
	for _, e := range listedRules() {
		rows = append(rows, row{ID: e.ID, Kind: string(e.Kind), Title: e.Title, Severity: string(e.Severity),
			CWE: e.CWE, OWASP: e.OWASP, Remediation: e.Remediation, Check: by[e.ID]})
	}
	for _, c := range engine.Registry() {
		rows = append(rows, row{ID: c.ID, Kind: "check", Rules: c.Rules, Doc: c.Doc})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}
