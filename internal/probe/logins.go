package probe

import (
	"net/http"
	"net/url"
	"strings"
)

// LoginKeys are the configured identities' logins, "METHOD /path" (POST
// when the login names no method): endpoints whose answer hands the
// caller its own credential.
func (p *Pass) LoginKeys() map[string]bool {
	out := map[string]bool{}
	for _, id := range p.Identities() {
		if id.Login == nil {
			continue
		}
		abs, err := p.Session().Resolve(id.Login.URL)
		if err != nil {
			continue
		}
		u, err := url.Parse(abs)
		if err != nil {
			continue
		}
		m := strings.ToUpper(id.Login.Method)
		if m == "" {
			m = http.MethodPost
		}
		path := u.Path
		if path == "" {
			path = "/"
		}
		out[m+" "+path] = true
	}
	return out
}
