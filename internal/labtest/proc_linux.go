package labtest

import (
	"os/exec"
	"syscall"
	"time"
)

// setProcessGroup puts the lab in its own process group, so that everything
// it spawns is stopped with it, and has the kernel stop it if the test binary
// dies without running its cleanups (a -timeout panic, a kill): labs never
// outlive the tests that started them.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}

// killProcessGroup stops the lab's process group: SIGTERM, then SIGKILL if it
// has not exited after a grace period. exited is closed when Wait returns.
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
	// Children that outlived the leader get the same end.
	_ = syscall.Kill(pgid, syscall.SIGKILL)
}
