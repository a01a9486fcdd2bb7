package httpx

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzRedact: whatever text a target sends back (and authprobe prints),
// a registered secret embedded in it is never shown, in any case.
func FuzzRedact(f *testing.F) {
	f.Add("sk_live_9f8e7d6c5b4a3210", "error: bad key %s in request")
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlMTIz", "Bearer %s")
	f.Add("pässwörd-ünïcode", "x=%s&y=%s")
	f.Fuzz(func(t *testing.T, secret, around string) {
		if len(secret) < MinPrefix || len(secret) > 200 || len(around) > 2000 {
			return
		}
		r := NewRedactor()
		r.Add(secret)
		text := strings.ReplaceAll(around, "%s", secret)
		if !strings.Contains(text, secret) {
			text += secret
		}
		if out := r.String(text); strings.Contains(out, secret) {
			t.Fatalf("secret shown: %q", out)
		}
		_ = r.Curl(&Request{Method: "GET", URL: "http://h/?" + around, Header: http.Header{"Cookie": {around}, "Authorization": {around}}})
	})
}

// FuzzRetryAfter: a target's Retry-After never makes a wait over the cap.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "-5", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "", "1.5"} {
		f.Add(s, 429)
	}
	f.Fuzz(func(t *testing.T, v string, status int) {
		resp := &Response{Status: status, Header: http.Header{"Retry-After": {v}}}
		if wait, ok := retryAfter(resp, 5*time.Second); ok && (wait < 0 || wait > 5*time.Second) {
			t.Fatalf("wait %v for %q", wait, v)
		}
	})
}
