package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newTokenCrackCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "crack",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("crack: not implemented yet"))
		},
	}
}
