package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newScanCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "scan",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("scan: not implemented yet"))
		},
	}
}
