//go:build !unix

package fix

import "os/exec"

func setProcessGroup(cmd *exec.Cmd) {}

func killProcessGroup(cmd *exec.Cmd, exited <-chan struct{}) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
		<-exited
	}
}
