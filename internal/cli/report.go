package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newReportCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "report",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("report: not implemented yet"))
		},
	}
}
