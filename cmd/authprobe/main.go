// Command authprobe finds broken authentication in web APIs.
package main

import (
	"context"
	"os"

	"github.com/authprobe/authprobe/internal/cli"
)

func main() {
	ctx, stop := cli.SignalContext(context.Background())
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
