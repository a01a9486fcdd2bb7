//go:build unix

package procgroup

import (
	"os/exec"
	"syscall"
	"time"
)

// Isolate puts cmd, before it starts, in a process group of its own; with
// tied, on Linux the kernel also stops it when the process that started
// it dies without cleaning up (a test binary killed by its timeout).
func Isolate(cmd *exec.Cmd, tied bool) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if tied {
		tie(attr)
	}
	cmd.SysProcAttr = attr
}

// Kill stops cmd's process group: SIGTERM, then SIGKILL if the leader has
// not exited after a grace period; exited is closed when Wait returns.
// Children that outlived the leader get SIGKILL too.
func Kill(cmd *exec.Cmd, exited <-chan struct{}) {
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

// Terminate sends SIGTERM to cmd's process group (exec.Cmd.Cancel: the
// process and what it started stop; exec's WaitDelay kills the leader if
// it lingers).
func Terminate(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
}

// Reap sends SIGKILL to what is left of cmd's process group after Wait:
// children that outlived the leader.
func Reap(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
