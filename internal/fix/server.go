package fix

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authprobe/authprobe/internal/procgroup"
)

// Server is the patched copy running on a loopback port.
type Server struct {
	URL    string
	cmd    *exec.Cmd
	exited chan struct{}
	log    *syncBuffer
}

// Start runs cmdline (sh -c, "{port}" replaced by a free loopback port) in
// dir with env added, and waits until the port accepts connections.
func Start(ctx context.Context, dir, cmdline string, env []string, wait time.Duration) (*Server, error) {
	// A port picked from a closed listener can be taken by another program
	// before the copy binds it; then the copy exits and another port is tried.
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := start(ctx, dir, cmdline, env, wait, port)
		if errors.Is(err, errPortTaken) && attempt < 3 {
			continue
		}
		return s, err
	}
}

var errPortTaken = errors.New("the port was taken by another program")

// start runs the copy on port and waits until it, not another program,
// listens there.
func start(ctx context.Context, dir, cmdline string, env []string, wait time.Duration, port int) (*Server, error) {
	line := strings.ReplaceAll(cmdline, "{port}", strconv.Itoa(port))
	c := exec.Command("sh", "-c", line)
	c.Dir = dir
	c.Env = append(os.Environ(), append([]string{"PORT=" + strconv.Itoa(port), "PYTHONDONTWRITEBYTECODE=1"}, env...)...)
	log := &syncBuffer{}
	c.Stdout, c.Stderr = log, log
	procgroup.Isolate(c, false)
	if err := c.Start(); err != nil {
		return nil, fmt.Errorf("start %q: %w", line, err)
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: c, exited: make(chan struct{}), log: log}
	go func() { _ = c.Wait(); close(s.exited) }()
	deadline := time.Now().Add(wait)
	answered := false
	for {
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			conn.Close()
			answered = true
			if owns, known := listensInGroup(c.Process.Pid, port); owns || !known {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			if answered {
				return nil, fmt.Errorf("%w (port %d): %s", errPortTaken, port, s.Log())
			}
			return nil, fmt.Errorf("the patched copy exited before listening on port %d: %s", port, s.Log())
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("the patched copy did not listen on port %d within %s: %s", port, wait, s.Log())
		}
	}
}

// Stop ends the process and everything it started.
func (s *Server) Stop() { procgroup.Kill(s.cmd, s.exited) }

// Log is the end of the process's output.
func (s *Server) Log() string {
	b := s.log.String()
	return strings.TrimSpace(b[max(0, len(b)-1500):])
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// syncBuffer is a bytes.Buffer the process's two streams share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.b.Len() > 1<<20 {
		b.b.Reset()
	}
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
