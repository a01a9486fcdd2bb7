package cli

import (
	"os"
	"testing"
)

// binDir holds the binary buildBinary makes once for the whole run.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
