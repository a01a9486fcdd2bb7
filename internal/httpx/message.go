package httpx

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Request is one request to send. Body is sent as is.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// NoRetry returns a 429 or 503 as it came, without honouring its
	// Retry-After (checks that look for throttling need to see it).
	NoRetry bool
	// Identity names who the request is sent as, for the transcript
	// ("alice", "anonymous", "alice (modified)", "alice (login)").
	Identity string
	// Carriers name the places credentials were put in (Creds.Apply):
	// "header:X-Api-Key", "query:key", "cookie:session". Whatever travels
	// there is hidden in every rendering of the request — a guess, a
	// one-character token or a forgery as well as a real credential.
	Carriers []string
}

// Carry records that a credential travels in place ("header:Name",
// "query:name", "cookie:name").
func (r *Request) Carry(place string) {
	for _, c := range r.Carriers {
		if strings.EqualFold(c, place) {
			return
		}
	}
	r.Carriers = append(r.Carriers, place)
}

// carries reports whether a credential travels in place.
func (r *Request) carries(place string) bool {
	for _, c := range r.Carriers {
		if strings.EqualFold(c, place) {
			return true
		}
	}
	return false
}

// Response is what came back, or why nothing did.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool
	Duration  time.Duration
	// Err is set for timeouts, refused connections and scope violations.
	Err error
}

// Location returns the redirect target, if any.
func (r *Response) Location() string { return r.Header.Get("Location") }

// readCapped reads an answer body, at most max bytes of it (length, when
// the server announced one, sizes the buffer); true when it was cut.
func readCapped(r io.Reader, max int64, length int64) ([]byte, bool, error) {
	// One buffer of the announced size (never more than the cap), not a
	// series of doublings: a flood of large answers makes no garbage.
	size := int64(512)
	if length > 0 {
		size = min(length, max) + 1
	}
	data := make([]byte, 0, size)
	lr := io.LimitReader(r, max+1)
	var err error
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, rerr := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if rerr != nil {
			if rerr != io.EOF {
				err = rerr
			}
			break
		}
	}
	if int64(len(data)) > max {
		return data[:max], true, nil
	}
	return data, false, err
}

// retryAfter says whether resp asks to retry soon enough to wait for it.
func retryAfter(resp *Response, max time.Duration) (time.Duration, bool) {
	if resp.Err != nil || (resp.Status != http.StatusTooManyRequests && resp.Status != http.StatusServiceUnavailable) {
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var wait time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		wait = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		wait = time.Until(t)
	} else {
		return 0, false
	}
	if wait < 0 {
		wait = 0
	}
	if wait > max {
		return 0, false
	}
	return wait, true
}
