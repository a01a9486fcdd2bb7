package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newDiffCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "diff",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("diff: not implemented yet"))
		},
	}
}
