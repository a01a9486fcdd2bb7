package identity

import (
	"encoding/base64"
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
