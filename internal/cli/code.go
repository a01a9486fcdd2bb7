package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newCodeCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "code",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("code: not implemented yet"))
		},
	}
}
