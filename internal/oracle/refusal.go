package oracle

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// The one refusal oracle. Every check decides "refused" or "served" here,
// never by the status code alone: APIs say no with 401 and 403, but also
// with a 200 whose body is {"success": false, "error": ...}, a 302 to a
// login page, a 404, a 422 or a server error that every refused request
// gets alike. With a calibration the verdict comes from it (Classify);
// without one (a login request, a write), the answer's own shape decides.

// Refusal reports whether an answer refuses on its own, with no calibration
// to compare it to: 401 or 403; a redirect to a login page; another 4xx
// whose body is empty or says it is an error; a 2xx whose body is an error
// envelope ({"success": false}, {"status": "error"}, {"error": ...} and
// nothing else). A server error is never a refusal on its own: only a
// calibration that saw every refused request answered alike makes it one.
func Refusal(s *Sample) bool {
	if s == nil || s.Err != nil || s.Status == 0 || s.Status == 429 {
		return false
	}
	switch {
	case s.Status == 401 || s.Status == 403:
		return true
	case s.Status >= 300 && s.Status < 400:
		return LoginRedirect(s)
	case s.Status >= 400 && s.Status < 500:
		return len(strings.TrimSpace(string(s.Body))) == 0 || s.looksLikeError()
	case s.Status/100 == 2:
		return ErrorEnvelope(s.Body) || LoginPage(s)
	}
	return false
}

// Served reports whether an answer serves what was asked, with no
// calibration to compare it to: a 2xx that is not an error envelope nor a
// sign-in page.
func Served(s *Sample) bool {
	return s != nil && s.Err == nil && s.Status/100 == 2 && !ErrorEnvelope(s.Body) && !LoginPage(s)
}

// signInWords name a sign-in page in its title, heading or form action.
var signInWords = []string{"sign in", "signin", "sign-in", "log in", "login", "log-in", "logon", "anmelden", "connexion"}

// LoginPage reports whether a 2xx answer is an HTML sign-in page served in
// place of what was asked (a web framework's login_required without a
// redirect): a password input, and a title, heading or form action that
// names signing in. A page that changes a password has the input but
// names no sign-in.
func LoginPage(s *Sample) bool {
	if s == nil || s.Err != nil || s.Status/100 != 2 || len(s.Body) == 0 {
		return false
	}
	b := bytes.TrimSpace(s.Body)
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	low := strings.ToLower(string(b[:min(len(b), 64<<10)]))
	if !strings.Contains(low, "<input") || !passwordInput(low) {
		return false
	}
	for _, tag := range []string{"<title", "<h1", "<h2", "action="} {
		i := strings.Index(low, tag)
		if i < 0 {
			continue
		}
		end := min(len(low), i+160)
		if j := strings.IndexByte(low[i:end], '>'); tag == "action=" && j >= 0 {
			end = i + j // the action's own value, not the text after the tag
		}
		for _, w := range signInWords {
			if strings.Contains(low[i:end], w) {
				return true
			}
		}
	}
	return false
}

// passwordInput: an <input> of type password, quoted or not.
func passwordInput(low string) bool {
	for _, t := range []string{`type="password"`, `type='password'`, `type=password`} {
		if strings.Contains(low, t) {
			return true
		}
	}
	return false
}

// LoginRedirect reports whether a redirect sends the client to sign in.
func LoginRedirect(s *Sample) bool {
	if s == nil || s.Status < 300 || s.Status >= 400 {
		return false
	}
	loc := strings.ToLower(s.Header.Get("Location"))
	if u, err := url.Parse(loc); err == nil {
		loc = u.Path + "?" + u.RawQuery
	}
	for _, w := range []string{"login", "signin", "sign-in", "sign_in", "auth", "sso", "next="} {
		if strings.Contains(loc, w) {
			return true
		}
	}
	return false
}

// successFields are the envelope flags APIs answer false in a refusal.
var successFields = []string{"success", "ok", "succeeded", "authorized", "authenticated", "valid"}

// errorOnlyFields may make up a whole error answer.
var errorOnlyFields = map[string]bool{"error": true, "errors": true, "message": true, "msg": true,
	"detail": true, "details": true, "code": true, "status": true, "error_code": true,
	"error_description": true, "reason": true, "success": true, "ok": true, "description": true, "title": true}

// ErrorEnvelope reports whether a JSON body is an error answer whatever
// its status: a top-level success flag that is false, a status that says
// error or fail, or an object holding an error and nothing but error
// fields. A body that carries data beside an error flag set to null or
// false is not one.
func ErrorEnvelope(body []byte) bool {
	var m map[string]any
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &m) != nil {
		return false
	}
	for _, f := range successFields {
		if v, ok := lookupFold(m, f); ok {
			if b, isBool := v.(bool); isBool {
				return !b
			}
			if s, isStr := v.(string); isStr {
				return strings.EqualFold(s, "false")
			}
		}
	}
	if v, ok := lookupFold(m, "status"); ok {
		if s, isStr := v.(string); isStr {
			switch strings.ToLower(s) {
			case "error", "fail", "failed", "failure", "denied", "unauthorized", "forbidden":
				return true
			}
		}
	}
	e, hasErr := lookupFold(m, "error")
	if !hasErr {
		e, hasErr = lookupFold(m, "errors")
	}
	if !hasErr || e == nil || e == false || e == "" {
		return false
	}
	for k := range m {
		if !errorOnlyFields[strings.ToLower(k)] {
			return false
		}
	}
	return true
}

func lookupFold(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// Refused reports whether an answer refuses: the calibration's verdict
// where it can tell (a gated endpoint), else the answer's own shape.
func (c *Calibration) Refused(s *Sample) bool {
	if c != nil && c.Gated {
		v, _ := c.Classify(s)
		return v == Rejected
	}
	return Refusal(s)
}

// ServedBy reports whether an answer serves what was asked: accepted by the
// calibration where it can tell, and in any case not a refusal by shape
// (an error envelope is never "served", whatever its status).
func (c *Calibration) ServedBy(s *Sample) bool {
	if !Served(s) {
		return false
	}
	if c != nil && c.Gated {
		v, _ := c.Classify(s)
		return v == Accepted
	}
	return true
}

// refusalStatus reports whether an answer that is not usable as a verdict
// may still stand in the refused cluster of a calibration: a redirect or
// a server error that refused requests get alike (never a transport error
// or throttling).
func (s *Sample) refusalStatus() bool {
	return s.Err == nil && s.Status != 429 && (s.Status >= 300 && s.Status < 400 || s.Status >= 500)
}

// SameRefusal reports whether an answer is refused exactly as a known
// refusal was: the same non-2xx status (never 429 or a transport error),
// and the same place for a redirect or a body like it otherwise. It is how
// a consistent 404, 422 or 500 is recognised without a calibration. A 2xx
// matches only when both are empty (an API that says no with a bare 204)
// or both are sign-in pages.
func SameRefusal(s, refusal *Sample) bool {
	if s == nil || refusal == nil || s.Err != nil || refusal.Err != nil || s.Status != refusal.Status ||
		s.Status == 429 || s.Status == 0 {
		return false
	}
	if s.Status/100 == 2 {
		empty := func(x *Sample) bool { return len(bytes.TrimSpace(x.Body)) == 0 }
		return empty(s) && empty(refusal) || LoginPage(s) && LoginPage(refusal)
	}
	if s.Status >= 300 && s.Status < 400 {
		// A redirect refuses only when it sends the client to sign in.
		return LoginRedirect(s) && s.Header.Get("Location") == refusal.Header.Get("Location")
	}
	return Similarity(s.Shape(), refusal.Shape()) >= sameBody
}
