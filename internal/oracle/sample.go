package oracle

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Sample is one observed response.
type Sample struct {
	Status int
	// Body is the response body; after Compact only its first KeepBody
	// bytes (the digest of the rest is in the shape).
	Body   []byte
	Header http.Header
	Err    error
	// Cut is set when Compact dropped the body beyond KeepBody.
	Cut bool
	// Took is how long the request itself took (from sending to the end of
	// the body, as the HTTP client measured it): no wait for the rate
	// limit, a free connection slot or a Retry-After is in it.
	Took time.Duration

	shape    Shape
	shapeSet bool
	errorish int8 // 0 unknown, 1 yes, -1 no
}

// KeepBody is how much of a body a kept sample holds once classified.
const KeepBody = 16 << 10

// Compact reduces a sample that is kept (calibrations, the auth matrix)
// to its shape and a bounded prefix of the body: memory stays bounded by
// endpoints × identities × KeepBody, whatever the target answers.
func (s *Sample) Compact() {
	if s == nil || len(s.Body) <= KeepBody {
		return
	}
	s.Shape()
	s.looksLikeError()
	s.Body = append([]byte(nil), s.Body[:KeepBody]...)
	s.Cut = true
}

func (s *Sample) looksLikeError() bool {
	if s.errorish == 0 {
		s.errorish = -1
		if looksLikeError(s.Body) {
			s.errorish = 1
		}
	}
	return s.errorish == 1
}

// NewSample wraps a response for classification.
func NewSample(status int, header http.Header, body []byte, err error) *Sample {
	if header == nil {
		header = http.Header{}
	}
	return &Sample{Status: status, Header: header, Body: body, Err: err}
}

// Shape returns the pruned body shape, computed once.
func (s *Sample) Shape() Shape {
	if !s.shapeSet {
		s.shape = ShapeOf(s.Body)
		s.shapeSet = true
	}
	return s.shape
}

// Unusable says why a response cannot be a verdict either way: transport
// errors, throttling, server errors and redirects (a login page).
func (s *Sample) Unusable() string {
	switch {
	case s.Err != nil:
		return "no response: " + s.Err.Error()
	case s.Status == http.StatusTooManyRequests:
		return "throttled (429)"
	case s.Status >= 500:
		return fmt.Sprintf("server error (%d)", s.Status)
	case s.Status >= 300 && s.Status < 400:
		loc := s.Header.Get("Location")
		return fmt.Sprintf("redirect (%d to %q)", s.Status, loc)
	case s.Status == 0:
		return "no status"
	}
	return ""
}

var errorWords = []string{"error", "invalid", "unauthori", "forbidden", "denied", "expired", "not allowed",
	"fail", `"ok": false`, `"ok":false`, `"success": false`, `"success":false`, "login required", "authentication required"}

func looksLikeError(body []byte) bool {
	b := strings.ToLower(string(body))
	return slices.ContainsFunc(errorWords, func(w string) bool { return strings.Contains(b, w) })
}
