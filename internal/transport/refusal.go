// Package transport works out how an API wants a login token sent (an
// Authorization scheme, another header, a cookie, a query parameter) from
// what the API and its code say: the spec's security schemes, the source's
// JWT settings, a refusal's WWW-Authenticate and the framework messages in
// refusal bodies. Each candidate is then tried once against a gated
// endpoint; the first one served wins.
package transport

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Candidate is one way to send the token, in login use: syntax, with where
// the idea came from.
type Candidate struct {
	Use string
	Why string
}

// Refusal messages of the common Flask JWT extensions, and of hand-written
// checks that follow them.
var (
	// flask-jwt-extended: "Expected 'Authorization: Token <JWT>'",
	// "Bad X-Token header. Expected 'X-Token: <JWT>'".
	expectedHeader = regexp.MustCompile(`(?i)expected\s+(?:value\s+)?['"\x60]?([A-Za-z0-9_-]+):\s*(?:([A-Za-z][A-Za-z0-9_-]*)\s+)?<[^>]{1,20}>`)
	// Flask-JWT-Extended 3.x and others: "Expected value 'Token <JWT>'",
	// "must be 'JWT <token>'".
	schemeWord    = regexp.MustCompile(`(?i)['"\x60]([A-Za-z][A-Za-z0-9_-]*) <(?:jwt|token|access[ _-]?token)>['"\x60]`)
	missingHeader = regexp.MustCompile(`(?i)missing ['"]?([A-Za-z0-9_-]+)['"]? header`)
	missingCookie = regexp.MustCompile(`(?i)missing cookie ['"]([^'"]{1,64})['"]`)
	missingQuery  = regexp.MustCompile(`(?i)missing ['"]([^'"]{1,64})['"] query`)
	// Hand-written checks that name what is missing without saying where:
	// "missing X-Auth-Token", "X-Auth-Token required", "api_key is
	// required", "provide an api_key". An X- name is a header; a
	// snake_case name a query parameter (only on a 401 or 403).
	// "Make sure you have the correct api_key", "send a valid X-Key".
	namedBefore = regexp.MustCompile(`(?i)\b(?:missing|no|provide|invalid|bad|wrong|have|send|include|pass)\s+(?:an?\s+|the\s+|your\s+|valid\s+|correct\s+|right\s+)*['"\x60]?((?:X-[A-Za-z0-9-]+)|(?:[a-z][a-z0-9]*_[a-z0-9_]+))\b['"\x60]?`)
	namedAfter  = regexp.MustCompile(`(?i)['"\x60]?\b((?:X-[A-Za-z0-9-]+)|(?:[a-z][a-z0-9]*_[a-z0-9_]+))['"\x60]?\s+(?:header\s+|parameter\s+|query\s+parameter\s+)?(?:is\s+)?(?:required|missing|invalid)`)
)

// FromRefusal reads the candidates a refusal names: its WWW-Authenticate
// scheme and the token placement its body's message asks for. A Bearer
// challenge yields "bearer"; Basic and Digest yield nothing.
func FromRefusal(status int, header http.Header, body []byte, where string) []Candidate {
	var out []Candidate
	if status == http.StatusUnauthorized {
		if u := fromChallenge(header.Get("WWW-Authenticate")); u != "" {
			out = append(out, Candidate{Use: u, Why: "WWW-Authenticate on " + where})
		}
	}
	msg := unescape(body)
	why := "the refusal of " + where + " says " + quote(msg)
	for _, m := range expectedHeader.FindAllStringSubmatch(msg, 4) {
		out = append(out, Candidate{Use: HeaderUse(m[1], m[2]), Why: why})
	}
	for _, m := range schemeWord.FindAllStringSubmatch(msg, 4) {
		out = append(out, Candidate{Use: HeaderUse("Authorization", m[1]), Why: why})
	}
	for _, m := range missingHeader.FindAllStringSubmatch(msg, 4) {
		switch {
		case strings.EqualFold(m[1], "Authorization"):
			// The header is one place the token may go: its default
			// scheme, unless a message names another (tried first).
			out = append(out, Candidate{Use: "bearer", Why: why})
		case !strings.EqualFold(m[1], "CSRF"):
			out = append(out, Candidate{Use: "header:" + m[1], Why: why})
		}
	}
	for _, m := range missingCookie.FindAllStringSubmatch(msg, 4) {
		if valid(m[1]) {
			out = append(out, Candidate{Use: "cookie:" + m[1], Why: why})
		}
	}
	for _, m := range missingQuery.FindAllStringSubmatch(msg, 4) {
		if valid(m[1]) {
			out = append(out, Candidate{Use: "query:" + m[1], Why: why})
		}
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		for _, re := range []*regexp.Regexp{namedBefore, namedAfter} {
			for _, m := range re.FindAllStringSubmatch(msg, 4) {
				if u := namedUse(m[1]); u != "" {
					out = append(out, Candidate{Use: u, Why: why})
				}
			}
		}
	}
	return Ordered(dedupe(out))
}

// namedUse is where a name a refusal asks for goes: an X- name in a
// header, a snake_case one in the query string.
func namedUse(name string) string {
	switch {
	case !valid(name) || strings.EqualFold(name, "X-CSRF-Token") || strings.EqualFold(name, "csrf_token"):
		return ""
	case strings.HasPrefix(strings.ToUpper(name), "X-"):
		return "header:" + name
	case strings.Contains(name, "_"):
		return "query:" + name
	}
	return ""
}

// dedupe keeps the first candidate of each placement.
func dedupe(cs []Candidate) []Candidate {
	seen := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		if k := strings.ToLower(c.Use); !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

// Ordered sorts candidates by where they put the token, headers first and
// the query string last (a token in a URL ends up in logs), keeping the
// order of each kind; a scheme a message names goes before the plain
// default.
func Ordered(cs []Candidate) []Candidate {
	rank := func(c Candidate) int {
		switch {
		case strings.HasPrefix(c.Use, "header:"):
			return 0
		case c.Use == "bearer":
			return 1
		case strings.HasPrefix(c.Use, "cookie:"):
			return 2
		}
		return 3
	}
	sort.SliceStable(cs, func(i, j int) bool { return rank(cs[i]) < rank(cs[j]) })
	return cs
}

// fromChallenge turns a WWW-Authenticate scheme into a placement.
func fromChallenge(h string) string {
	scheme, _, _ := strings.Cut(strings.TrimSpace(h), " ")
	scheme = strings.TrimSuffix(scheme, ",")
	switch {
	case scheme == "" || strings.ContainsAny(scheme, "=\"\r\n"):
		return ""
	case strings.EqualFold(scheme, "Basic") || strings.EqualFold(scheme, "Digest"):
		return ""
	}
	return HeaderUse("Authorization", scheme)
}

// HeaderUse renders a header placement with its scheme word ("" for a
// bare token): Authorization with Bearer is the default, "bearer".
func HeaderUse(name, scheme string) string {
	scheme = strings.TrimSpace(scheme)
	switch {
	case !valid(name):
		return ""
	case scheme == "":
		return "header:" + name
	case strings.EqualFold(name, "Authorization") && strings.EqualFold(scheme, "Bearer"):
		return "bearer"
	}
	return "header:" + name + ":" + scheme + " {token}"
}

func valid(name string) bool {
	return name != "" && !strings.ContainsAny(name, " \t\r\n;=,:{}")
}

// unescape undoes the JSON escapes that hide a message's quotes.
func unescape(body []byte) string {
	if len(body) > 2048 {
		body = body[:2048]
	}
	r := strings.NewReplacer(`\"`, `"`, `\u0027`, `'`, `\u0022`, `"`, `\u003c`, `<`, `\u003e`, `>`)
	return r.Replace(string(body))
}

// quote shortens a refusal body for a note.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return "\"" + s + "\""
}

// Excerpt is a refusal as the preflight error shows it: the status and the
// first 200 bytes of the body (a refusal is not a secret).
func Excerpt(status int, body []byte) string {
	b := strings.Join(strings.Fields(string(body)), " ")
	if len(b) > 200 {
		b = b[:200] + "…"
	}
	if b == "" {
		return "status " + http.StatusText(status) + " (" + strconv.Itoa(status) + "), empty body"
	}
	return "status " + strconv.Itoa(status) + ": " + b
}
