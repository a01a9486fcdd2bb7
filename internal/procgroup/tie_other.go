//go:build unix && !linux

package procgroup

import "syscall"

// tie: only Linux can have a child stopped when its parent dies.
func tie(*syscall.SysProcAttr) {}
