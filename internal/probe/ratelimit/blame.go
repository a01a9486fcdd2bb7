package ratelimit

import (
	"context"
	"fmt"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// blame is the one oracle that says whether a block after the series
// fell on the client or on the valid credential alone. The valid
// credential was throttled (thr) or refused after the failures; another
// credential whose answer before the series is known is sent: one more
// made-up key (refused, like every guess), or another account's right
// password (let in). Answered as before, the block is the valid
// credential's own; changed, it falls on every request of the client (or
// the service broke). What that means depends on what was guessed:
//
//   - made-up keys, valid key throttled, another made-up key refused as
//     before: a limit on the valid key's own use (a per-key quota the
//     scan's own requests spent), which guessing never meets — no
//     protection (v.ownLimit says why); the made-up key throttled too:
//     the client is throttled, protection;
//   - an account's password, its right password refused, another
//     account let in: that account is locked, protection; another
//     account refused too: the login stopped letting anyone in, nothing
//     is concluded.
func (s series) blame(ctx context.Context, v *verdict, n int, first *probe.Outcome, thr string) {
	asBefore, status := s.another(ctx, n, first)
	switch {
	case asBefore && s.guessesKeys:
		v.ownLimit = fmt.Sprintf("the valid credential got %s after them, but one more made-up key right after that was still refused as before (status %d): a limit on the valid key's own use, which guessing never meets",
			thr, status)
	case asBefore:
		v.protected, v.why = true, lockedOut(v.control)
	case thr != "":
		v.protected, v.why = true, thr+" for the valid credential after the failures"
	default:
		v.why = fmt.Sprintf("the valid credential was refused after the failures (status %d), and so was another account's right password (status %d): the login stopped letting anyone in (a broken service or a block of the whole client), not a lockout of the guessed account", v.control.Sample.Status, status)
	}
}

// another sends the other credential and says whether it was answered as
// before the series: a made-up key refused as the failures were (not
// throttled, not let in, no lockout answer), or another account's right
// password let in.
func (s series) another(ctx context.Context, n int, first *probe.Outcome) (bool, int) {
	if !s.guessesKeys {
		return s.bystander(ctx)
	}
	again := s.attempt(ctx, n)
	status := 0
	if again.Sample != nil {
		status = again.Sample.Status
	}
	if throttled(again.Sample) != "" || again.Accepted() || lockoutAnswer(again.Sample) ||
		!s.refused(again) && (first == nil || !oracle.SameRefusal(again.Sample, first.Sample)) {
		return false, status
	}
	return true, status
}
