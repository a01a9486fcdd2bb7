// Command authprobe finds broken authentication in web APIs.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/authprobe/authprobe/internal/cli"
)

// memoryLimit is the Go heap's soft limit unless GOMEMLIMIT says otherwise:
// a scan's live data is bounded by design (digests, capped bodies), and the
// collector then returns the garbage of large answers before the heap grows.
const memoryLimit = 192 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := cli.SignalContext(context.Background())
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
