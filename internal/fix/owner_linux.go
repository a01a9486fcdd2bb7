//go:build linux

package fix

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// listensInGroup reports whether a process of the group led by pid holds
// the socket listening on the loopback port: a port that answers may have
// been taken by another program between picking it and the copy binding it.
// known is false when /proc cannot tell.
func listensInGroup(pid, port int) (owns, known bool) {
	inodes := listeningInodes(port)
	if inodes == nil {
		return false, false
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return false, false
	}
	for _, p := range procs {
		n, err := strconv.Atoi(p.Name())
		if err != nil || processGroup(n) != pid {
			continue
		}
		fds, _ := os.ReadDir(filepath.Join("/proc", p.Name(), "fd"))
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join("/proc", p.Name(), "fd", fd.Name()))
			if err == nil && inodes[link] {
				return true, true
			}
		}
	}
	return false, true
}

// listeningInodes are the sockets ("socket:[inode]") listening on port,
// IPv4 or IPv6; nil when /proc/net is unreadable.
func listeningInodes(port int) map[string]bool {
	out := map[string]bool{}
	read := false
	hexPort := fmt.Sprintf(":%04X", port)
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		read = true
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			// local_address rem_address st ... inode (field 9); st 0A is LISTEN.
			if len(fields) > 9 && strings.HasSuffix(fields[1], hexPort) && fields[3] == "0A" {
				out["socket:["+fields[9]+"]"] = true
			}
		}
		fh.Close()
	}
	if !read {
		return nil
	}
	return out
}

// processGroup is the process group of pid (0 when unknown).
func processGroup(pid int) int {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	// pid (comm) state ppid pgrp ...: comm may hold spaces, so cut after ")".
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 {
		return 0
	}
	g, _ := strconv.Atoi(f[2])
	return g
}
