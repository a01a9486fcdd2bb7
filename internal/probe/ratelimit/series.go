package ratelimit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

// series is one run of failed attempts and its control.
type series struct {
	// what is being guessed, for messages ("API keys in header X-API-Key").
	what string
	// attempt sends failure i.
	attempt func(ctx context.Context, i int) *probe.Outcome
	// refused judges an attempt's answer as an ordinary refusal.
	refused func(o *probe.Outcome) bool
	// control sends the valid credential after the series.
	control func(ctx context.Context) *probe.Outcome
	// guessesKeys: the failures are made-up keys, which no account owns.
	// A valid key throttled after them while one more made-up key is
	// still refused as before is a limit on that key's own use (a
	// per-key quota the scan's valid requests spent), not on guessing; a
	// client locked out after failures throttles the made-up key too.
	// (A login series does not: an account locked by failures may well
	// answer one more wrong password as before, and refuse the right one.)
	guessesKeys bool
	// works judges the control's answer as accepted.
	works func(o *probe.Outcome) bool
	// noAccount: a login found in the spec or source, tried with made-up
	// users only; the control is another made-up user (discovered.go).
	noAccount bool
	// keyBits estimates the randomness of the key being guessed (0 for a
	// password or a key made of words).
	keyBits float64
	// unproven, when set, is why a control answered like the failures
	// proves nothing (instead of a lockout).
	unproven string
	// bystander, when set, logs another account in with its right
	// password after a series on a real account's own name: it tells a
	// lockout of that account from a login that no longer lets anyone in.
	bystander func(ctx context.Context) (works bool, status int)
	// usable, when set, judges whether the control's answer can be read
	// (instead of oracle's Unusable): a 5xx the valid key also got before
	// the series, on an object nobody has, is the handler's answer past
	// the gate, not a server the series broke.
	usable func(o *probe.Outcome) bool
	// carriers name where the guess and the username travel (a body
	// field, a header, a parameter): a validation answer naming any other
	// field rejected the request before reading the credential.
	carriers []string
}

// strongKey is the randomness above which guessing a key online is
// impractical with or without throttling: a missing limit there is a
// review item (low), not a medium finding.
const strongKey = 96

// verdict of a series.
type verdict struct {
	protected bool   // throttling, lockout or limit headers seen
	why       string // what was seen, or why nothing can be concluded
	last      *probe.Outcome
	control   *probe.Outcome
	sent      int
	took      time.Duration
	// ownLimit, when set, says the valid credential was throttled after
	// the series while one more failure was not: its own quota, not the
	// failures'.
	ownLimit string
}

// run sends n failures one after the other, stopping at the first sign of
// throttling, then the valid credential.
func (s series) run(ctx context.Context, n int) verdict {
	var v verdict
	var early, late, took, slowestEarly, fastestLate time.Duration
	var first *probe.Outcome
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			return verdict{why: "scan stopped"}
		}
		t0 := time.Now()
		o := s.attempt(ctx, i)
		// The request's own time, as the HTTP client measured it: waits
		// for the rate limit or a free connection are the scan's, not the
		// target's slowdown.
		d := o.Sample.Took
		if d == 0 {
			d = time.Since(t0) // a sample that did not come from the client
		}
		took += d
		v.last, v.sent = o, i+1
		if i < 5 {
			early += d
			slowestEarly = max(slowestEarly, d)
		}
		if i >= n-5 {
			late += d
			if fastestLate == 0 || d < fastestLate {
				fastestLate = d
			}
		}
		if why := throttled(o.Sample); why != "" {
			v.protected, v.why = true, fmt.Sprintf("%s after %d failed attempts", why, i+1)
			return v
		}
		if f := s.otherField(o.Sample); f != "" {
			v.why = fmt.Sprintf("attempt %d: a %d validation answer names %s, not the credential: the request was rejected before any credential was read", i+1, o.Sample.Status, f)
			return v
		}
		if first == nil {
			first = o
		} else if lockoutAnswer(o.Sample) && !lockoutAnswer(first.Sample) {
			v.protected, v.why = true, fmt.Sprintf("a lockout answer after %d failed attempts (status %d)", i+1, o.Sample.Status)
			return v
		}
		// Any consistent refusal counts: what the oracle calls one (401,
		// 403, a 200 error envelope, ...), or the very answer the first
		// attempt got, when it was no success (a stable 404, 422 or 500);
		// the control then proves the credential made the difference.
		// A series whose control must be answered otherwise than the
		// guesses (on an object nobody has) takes any first answer, a bare
		// 2xx included: the control then shows whether it was the gate.
		consistent := o != first && !o.Accepted() && oracle.SameRefusal(o.Sample, first.Sample) ||
			o == first && !o.Accepted() && (!oracle.Served(o.Sample) || s.unproven != "") && o.Sample.Err == nil && o.Sample.Status != 0
		if s.refused(o) || consistent {
			continue
		}
		if u := o.Sample.Unusable(); u != "" {
			v.why = fmt.Sprintf("attempt %d: %s", i+1, u)
			return v
		}
		v.why = fmt.Sprintf("attempt %d was not answered as a refusal (%s)", i+1, o.Why)
		return v
	}
	v.took = took
	// A slowdown is a sign of throttling only when it is the failures'
	// own: every one of the last five slower than any of the first five,
	// and the valid credential answered at the early pace afterwards. A
	// target (or a scanning machine) slowed by load slows the valid
	// credential too: then nothing is concluded either way.
	if n >= 10 && late > 4*early && late > 5*time.Second/2 && fastestLate > slowestEarly {
		slowed := fmt.Sprintf("answers slowed down from %v to %v per 5 attempts", early.Round(time.Millisecond), late.Round(time.Millisecond))
		v.control = s.control(ctx)
		if c := v.control.Sample; c != nil && c.Took > 2*slowestEarly && c.Took*5 > late/4 {
			v.why = slowed + ", and the valid credential took " + c.Took.Round(time.Millisecond).String() + " too: the target is slow, not throttling the failures"
			return v
		}
		v.protected, v.why = true, slowed
		return v
	}
	v.control = s.control(ctx)
	thr := throttled(v.control.Sample)
	switch {
	case thr != "" && s.guessesKeys:
		s.blame(ctx, &v, n, first, thr)
	case thr != "":
		v.protected, v.why = true, thr+" for the valid credential after the failures"
	case s.usable != nil && !s.usable(v.control) || s.usable == nil && v.control.Sample.Unusable() != "":
		v.why = "the valid credential got no usable answer afterwards: " + v.control.Sample.Unusable()
	case !s.works(v.control) && s.unproven != "":
		v.why = s.unproven
	case !s.works(v.control) && s.bystander != nil:
		s.blame(ctx, &v, n, first, "")
	case !s.works(v.control):
		v.protected, v.why = true, lockedOut(v.control)
	}
	return v
}

func lockedOut(control *probe.Outcome) string {
	return fmt.Sprintf("the valid credential was refused after the failures (status %d): lockout", control.Sample.Status)
}

// lockoutWords are what an answer says when an account or client is
// locked after failures ("User locked out! Try again later").
var lockoutWords = []string{"locked", "lockout", "too many", "try again later", "temporarily blocked", "temporarily disabled"}

// lockoutAnswer: the answer says the account or client is locked.
func lockoutAnswer(s *oracle.Sample) bool {
	if s == nil || s.Err != nil || oracle.Served(s) {
		return false
	}
	b := strings.ToLower(string(s.Body))
	for _, w := range lockoutWords {
		if strings.Contains(b, w) {
			return true
		}
	}
	return false
}

// throttled says which sign of rate limiting a response carries.
func throttled(s *oracle.Sample) string {
	if s == nil || s.Err != nil {
		return ""
	}
	switch s.Status {
	case 429:
		return "429 Too Many Requests"
	case 423:
		return "423 Locked"
	case 503:
		if s.Header.Get("Retry-After") != "" {
			return "503 with Retry-After"
		}
	}
	if s.Header.Get("Retry-After") != "" {
		return "a Retry-After header"
	}
	for name := range s.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "ratelimit") || strings.HasPrefix(l, "x-ratelimit") || strings.HasPrefix(l, "x-rate-limit") {
			return "a " + name + " header"
		}
	}
	return ""
}
