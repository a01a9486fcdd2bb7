package ratelimit

import (
	"encoding/base64"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
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

// takesBasic: the spec's security for ep names an HTTP Basic scheme, or
// the code shows the route reads Basic credentials.
func takesBasic(inv *inventory.Inventory, ep *inventory.Endpoint) bool {
	for _, k := range ep.Expects {
		if k == "basic" {
			return true
		}
	}
	if inv == nil {
		return false
	}
	for _, set := range ep.Security {
		for _, name := range set {
			if s, ok := inv.Schemes[name]; ok && s.Type == "basic" {
				return true
			}
		}
	}
	return false
}

// basicLogin is a login found in the spec or source that takes HTTP Basic
// credentials and no body (FastAPI's HTTPBasic POST /login): the series
// puts the made-up username and the wrong password in the header.
func basicLogin(ep *inventory.Endpoint) *identity.Login {
	return &identity.Login{Method: ep.Method, URL: ep.Path,
		Header: map[string]string{"Authorization": basicHeader("authprobe-user", "authprobe-pw")}}
}
