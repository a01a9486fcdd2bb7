//go:build !unix

package procgroup

import "os/exec"

// Isolate: without Unix process groups the child alone is stopped, not
// what it spawned.
func Isolate(*exec.Cmd, bool) {}

// Kill stops the child process.
func Kill(cmd *exec.Cmd, exited <-chan struct{}) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
		<-exited
	}
}

// Terminate stops the child process.
func Terminate(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}

// Reap: without process groups there is nothing left to stop.
func Reap(*exec.Cmd) {}
