package cli

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder: replaced by the command's real implementation.
func newTokenDecodeCmd(s IO) *cobra.Command {
	return &cobra.Command{
		Use: "decode",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageErr("%v", errors.New("decode: not implemented yet"))
		},
	}
}
