// Package dist holds the checks of what ships authprobe outside the Go
// toolchain: the GitHub Action (action.yml and scripts/action.sh at the
// repository root) and the container image (Dockerfile). It has no code of
// its own; its tests hold those files to the metadata syntax GitHub and
// Docker expect, and run what this machine can run of them.
package dist
