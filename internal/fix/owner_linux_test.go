//go:build linux

package fix

import (
	"net"
	"os"
	"testing"
	"time"
)

// TestListensInGroup: a port held by this test process is not the group's;
// a port the started copy binds is.
func TestListensInGroup(t *testing.T) {
	if testing.Short() {
		t.Skip("-short starts no process")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	if owns, known := listensInGroup(os.Getpid()+1_000_000, taken); !known || owns {
		t.Errorf("a port this test holds: owns=%v known=%v, want known and not owned", owns, known)
	}
	s, err := Start(t.Context(), t.TempDir(),
		`exec python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1", {port})); s.listen(); time.sleep(30)'`,
		nil, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	_, port, _ := net.SplitHostPort(s.URL[len("http://"):])
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	if owns, known := listensInGroup(s.cmd.Process.Pid, p); !known || !owns {
		t.Errorf("the copy's own port: owns=%v known=%v, want owned", owns, known)
	}
	if owns, _ := listensInGroup(s.cmd.Process.Pid, taken); owns {
		t.Error("the copy's group owns a port this test holds")
	}
}
