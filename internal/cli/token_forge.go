package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newTokenForgeCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "forge",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("forge: not implemented yet"))
		},
	}
}
