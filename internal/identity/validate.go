package identity

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ErrInvalid marks an identity that can never be sent as configured: the
// scan refuses it before the first request (a usage error, not a target
// that could not be tested). Messages name the identity and the field,
// never the value.
var ErrInvalid = errors.New("invalid identity")

// Validate checks that every credential of the identity can be put on the
// wire as it is — header names are tokens, values carry no CR, LF or other
// control character — and that its login request stays on the target.
func (id *Identity) Validate(target *url.URL) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %s: %s", ErrInvalid, id.Name, fmt.Sprintf(format, a...))
	}
	if id.Name == "" || strings.ContainsAny(id.Name, "\r\n\x00") {
		return fmt.Errorf("%w: empty or unprintable name", ErrInvalid)
	}
	if err := id.Base.validate(); err != nil {
		return bad("%v", err)
	}
	if l := id.Login; l != nil {
		if err := l.validate(target); err != nil {
			return bad("login: %v", err)
		}
	}
	return nil
}

func (c Creds) validate() error {
	if c.Bearer != "" && !headerValue(c.Bearer) {
		return errors.New("the bearer token has a control character, a line break or surrounding spaces")
	}
	if c.Bearer != "" && strings.ContainsAny(c.Bearer, " \t") {
		return errors.New("the bearer token contains a space (give the token without a scheme)")
	}
	for name, v := range c.Headers {
		if !isToken(name) {
			return fmt.Errorf("header name %q is not a valid HTTP header name", printable(name))
		}
		if !headerValue(v) {
			return fmt.Errorf("header %s: the value has a control character or a line break", name)
		}
	}
	for name, v := range c.Cookies {
		if !isToken(name) {
			return fmt.Errorf("cookie name %q is not a valid cookie name", printable(name))
		}
		if !cookieValue(v) {
			return fmt.Errorf("cookie %s: the value has a semicolon or a control character", name)
		}
	}
	for name := range c.Query {
		if name == "" || strings.ContainsAny(name, "\r\n\x00") {
			return errors.New("a query parameter has an empty or unprintable name")
		}
	}
	return nil
}

func (l *Login) validate(target *url.URL) error {
	if target == nil {
		return nil
	}
	u, err := url.Parse(l.URL)
	if err != nil {
		return fmt.Errorf("url %q does not parse", printable(l.URL))
	}
	abs := target.ResolveReference(u)
	if abs.Scheme != "http" && abs.Scheme != "https" {
		return fmt.Errorf("url %q is not http(s)", printable(l.URL))
	}
	if p := abs.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("url %q: port %s is not between 1 and 65535", printable(l.URL), p)
		}
	}
	if !strings.EqualFold(abs.Hostname(), target.Hostname()) || portOf(abs) != portOf(target) {
		return fmt.Errorf("url %q is not on the target %s: authprobe sends credentials only to the target", printable(l.URL), target.Host)
	}
	for name, v := range l.Header {
		if !isToken(name) || !headerValue(v) {
			return fmt.Errorf("header %q: invalid name or value", printable(name))
		}
	}
	if l.Method != "" && !isToken(l.Method) {
		return fmt.Errorf("method %q is not a valid HTTP method", printable(l.Method))
	}
	return nil
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// ValidPort reports whether hostport's port, if any, is a usable TCP port.
func ValidPort(hostport string) bool {
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return !strings.Contains(hostport, ":") || strings.HasPrefix(hostport, "[")
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// isToken: RFC 9110 token characters (header names, methods, cookie names).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// headerValue: no control characters but tab, no surrounding whitespace.
func headerValue(v string) bool {
	if v != strings.TrimSpace(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// cookieValue: nothing that would end the cookie or the header.
func cookieValue(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < ' ' || c == 0x7f || c == ';' {
			return false
		}
	}
	return true
}

// printable shows a name in an error without its control characters.
func printable(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
