package inventory

import (
	"regexp"
	"strings"
)

// AdminWords are the path words that mark an administrative route
// ("/api/admin/users", "/internal/stats"). The live checks (BFLA, missing
// authentication, admin-only writes) and the static route rules read this
// one list, so that scan and code agree on what an admin route is. A word
// is a hint, never a gate: a config policy: or the observed matrix wins.
var AdminWords = []string{"admin", "administrator", "administration", "internal", "manage",
	"management", "superuser", "staff", "sudo", "backoffice"}

// PublicNames are the path words that are public by convention: health
// checks, documentation, sign-in. The live checks never report anonymous
// access to an endpoint whose last segment is one of them from path or
// sibling evidence alone; the static route rules take a route with one of
// them (or of their own further words) as meant to be public.
var PublicNames = []string{"health", "healthz", "livez", "readyz", "ping", "status",
	"version", "docs", "redoc", "swagger", "swagger.json",
	"openapi.json", "openapi.yaml", "api-docs", "login", "logout",
	"signin", "signup", "register", "token", "refresh",
	"favicon.ico", "robots.txt", "jwks.json"}

var publicName = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range PublicNames {
		m[w] = true
	}
	return m
}()

// PublicName reports whether a path segment is public by convention
// (case as given).
func PublicName(s string) bool { return publicName[s] }

var adminWord = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range AdminWords {
		m[w] = true
	}
	return m
}()

// AdminWord reports whether one path segment or name part is an admin word.
func AdminWord(s string) bool { return adminWord[strings.ToLower(s)] }

// AdminPath reports whether a path has an admin word as a segment.
func AdminPath(path string) bool {
	for _, s := range strings.Split(path, "/") {
		if AdminWord(s) {
			return true
		}
	}
	return false
}

// PolicyMatch reports whether a config policy: pattern covers ep:
// "[METHOD ]/path", where "*" matches any run of characters ("/"
// included) and a trailing "/*" also covers the path itself ("/api/admin/*"
// covers "/api/admin"); "*" alone covers everything.
func PolicyMatch(pat string, ep *Endpoint) bool {
	pat = strings.TrimSpace(pat)
	if m, rest, ok := strings.Cut(pat, " "); ok && !strings.HasPrefix(m, "/") {
		if !strings.EqualFold(m, ep.Method) {
			return false
		}
		pat = strings.TrimSpace(rest)
	}
	parts := strings.Split(pat, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	re, err := regexp.Compile("^" + strings.Join(parts, ".*") + "$")
	return (err == nil && re.MatchString(ep.Path)) || (strings.HasSuffix(pat, "/*") && ep.Path == strings.TrimSuffix(pat, "/*"))
}
