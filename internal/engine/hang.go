package engine

import (
	"context"
	"errors"
	"net"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// maxTimeouts is how many timeouts an endpoint may cost a scan: after the
// second it is inconclusive and never called again, so that a hanging
// route costs two timeouts, not one per probe (and its threads do not pile
// up on the server).
const maxTimeouts = 2

// ReasonHangs is the coverage reason of an endpoint that timed out twice.
const ReasonHangs = "timed out twice: not called again (inconclusive)"

// hung reports whether an endpoint has used up its timeouts; when it has,
// the outcome to return instead of sending.
func (s *Scan) hung(ep *inventory.Endpoint) (*probe.Outcome, bool) {
	if ep == nil {
		return nil, false
	}
	s.mu.Lock()
	n := s.timeouts[ep.Key()]
	s.mu.Unlock()
	if n < maxTimeouts {
		return nil, false
	}
	o := &probe.Outcome{Sample: oracle.NewSample(0, nil, nil, errHangs), Verdict: oracle.Inconclusive, Why: ReasonHangs}
	return o, true
}

var errHangs = errors.New("endpoint " + ReasonHangs)

// noteTimeout counts a timeout against the endpoint.
func (s *Scan) noteTimeout(ep *inventory.Endpoint, err error) {
	if ep == nil || !timedOut(err) {
		return
	}
	s.mu.Lock()
	s.timeouts[ep.Key()]++
	s.mu.Unlock()
}

func timedOut(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout exceeded")
}

// hanging lists the endpoints that used up their timeouts, sorted.
func (s *Scan) hanging() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, n := range s.timeouts {
		if n >= maxTimeouts {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
