package cli

import (
	"encoding/json"
	"fmt"
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
		Short: "List every check and rule: id, kind, severity, CWE, OWASP",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			entries := catalog.All()
			implemented := map[string]bool{}
			for _, c := range engine.Registry() {
				for _, r := range c.Rules {
					implemented[r] = true
				}
			}
			switch format {
			case "json":
				type row struct {
					ID, Kind, Title, Severity string
					CWE, OWASP                []string
					Remediation               string
				}
				var rows []row
				for _, e := range entries {
					if e.Kind == catalog.Probe && !implemented[e.ID] {
						continue
					}
					rows = append(rows, row{e.ID, string(e.Kind), e.Title, string(e.Severity), e.CWE, e.OWASP, e.Remediation})
				}
				enc := json.NewEncoder(s.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			case "text":
				tw := tabwriter.NewWriter(s.Out, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tKIND\tSEVERITY\tCWE\tOWASP\tTITLE")
				for _, e := range entries {
					if e.Kind == catalog.Probe && !implemented[e.ID] {
						continue
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, e.Severity,
						strings.Join(e.CWE, ","), strings.Join(e.OWASP, ","), e.Title)
				}
				return tw.Flush()
			}
			return usageErr("--format %q: want text or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}
