//go:build !linux

package labtest

import "os/exec"

// setProcessGroup has no portable process-group handling outside Linux: the
// lab itself is killed, its children are not.
func setProcessGroup(*exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd, exited <-chan struct{}) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
		<-exited
	}
}
