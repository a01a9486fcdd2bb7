package identity

import (
	"encoding/base64"
	"sort"
	"strings"
)

// ParseBasic decodes an HTTP Basic credential ("Basic dXNlcjpwdw=="): its
// user name and password, and whether it is one.
func ParseBasic(value string) (user, password string, ok bool) {
	scheme, enc, found := strings.Cut(strings.TrimSpace(value), " ")
	if !found || !strings.EqualFold(scheme, "basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// BasicHeader is the Authorization header value of user and password.
func BasicHeader(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// Basic is the user name and password of the Authorization: Basic header
// the login sends (a login that buys a token with HTTP Basic), when it
// has one.
func (l *Login) Basic() (user, password string, ok bool) {
	for k, v := range l.Header {
		if strings.EqualFold(k, "Authorization") {
			return ParseBasic(v)
		}
	}
	return "", "", false
}

// Password is the secret the login sends: the configured password field
// of its JSON or form body, else the first field named like a password
// ("password", "passwd", "pwd", "secret", "pin"), else the password of its
// HTTP Basic header; "" when it sends none.
func (l *Login) Password() string {
	if l == nil {
		return ""
	}
	if l.PasswordField != "" {
		if v, ok := l.JSON.Lookup(l.PasswordField); ok {
			if s, ok := v.(string); ok {
				return s
			}
		}
		if v, ok := l.Form[l.PasswordField]; ok {
			return v
		}
	}
	for _, p := range l.JSON.Paths() {
		if v, _ := l.JSON.Lookup(p); v != nil {
			if s, ok := v.(string); ok && secretName(p[strings.LastIndex(p, ".")+1:]) {
				return s
			}
		}
	}
	keys := make([]string, 0, len(l.Form))
	for k := range l.Form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if secretName(k) {
			return l.Form[k]
		}
	}
	if _, pw, ok := l.Basic(); ok {
		return pw
	}
	return ""
}

// secretName: a field name that holds a password.
func secretName(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "pass") || strings.Contains(l, "pwd") || l == "secret" || l == "client_secret" || l == "pin"
}
