//go:build unix

package fix

import (
	"os/exec"
	"syscall"
	"time"
)

// setProcessGroup gives the patched copy its own process group, so that
// whatever it spawns stops with it.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcessGroup sends SIGTERM to the group, then SIGKILL after a grace
// period; exited is closed when Wait returns.
func killProcessGroup(cmd *exec.Cmd, exited <-chan struct{}) {
	if cmd.Process == nil {
		return
	}
	pgid := -cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-exited
	}
	_ = syscall.Kill(pgid, syscall.SIGKILL)
}
