package procgroup

import "syscall"

// tie has the kernel send SIGTERM to the child when its parent dies.
func tie(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGTERM }
