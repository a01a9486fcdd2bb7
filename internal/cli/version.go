package cli

import "runtime/debug"

// version is stamped by the build, if at all:
//
//	go build -ldflags "-X github.com/authprobe/authprobe/internal/cli.version=1.4.0" ./cmd/authprobe
var version string

// Version is the tool version written into every result and printed by
// --version: the stamped version, else the main module's version from the
// build information (a tag or pseudo-version for `go install
// ...@version` and for builds in a git checkout), else "devel".
var Version = resolveVersion(version, debug.ReadBuildInfo)

func resolveVersion(stamped string, info func() (*debug.BuildInfo, bool)) string {
	if stamped != "" {
		return stamped
	}
	if bi, ok := info(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
