package ratelimit

import (
	"encoding/base64"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
)

// basicField stands for the password of a login that takes HTTP Basic
// credentials (Flask-HTTPAuth's POST /api/tokens, FastAPI's HTTPBasic): it
// travels in the Authorization header, not in a body field.
const basicField = "Authorization: Basic (password)"

// basicUser stands for the username of such a login.
const basicUser = "Authorization: Basic (username)"

// basicCredential is the username and password of the login's configured
// Authorization: Basic header, when it has one.
func basicCredential(l *identity.Login) (user, pw string, ok bool) {
	for k, v := range l.Header {
		if !strings.EqualFold(k, "Authorization") {
			continue
		}
		scheme, enc, found := strings.Cut(strings.TrimSpace(v), " ")
		if !found || !strings.EqualFold(scheme, "basic") {
			return "", "", false
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
		if err != nil {
			return "", "", false
		}
		user, pw, ok = strings.Cut(string(raw), ":")
		return user, pw, ok
	}
	return "", "", false
}

// basicHeader is the Authorization header value of user and pw.
func basicHeader(user, pw string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pw))
}
