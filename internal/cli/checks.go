package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newChecksCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "checks",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("checks: not implemented yet"))
		},
	}
}
