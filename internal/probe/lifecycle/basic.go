package lifecycle

import (
	"encoding/base64"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
)

// basicCredential is the user and password of a login's Authorization:
// Basic header, when it has one.
func basicCredential(l *identity.Login) (user, password string, ok bool) {
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
		return strings.Cut(string(raw), ":")
	}
	return "", "", false
}

// basicHeader is the Authorization header value of user and password.
func basicHeader(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}
