// Package roles holds the one list of words that hint at administrative
// and at public routes, shared by the scan and the source analysis so that
// both call the same route privileged or public. Words are hints: the scan
// decides roles from who the API refuses and serves (and config role:),
// and uses these only where nothing was observed — to choose what to try
// first, or to keep a path-name guess from ever becoming a finding alone.
package roles

import "strings"

// admin are path segments of administrative functions.
var admin = map[string]bool{
	"admin": true, "administrator": true, "administration": true, "internal": true, "manage": true,
	"management": true, "superuser": true, "staff": true, "sudo": true, "backoffice": true,
}

// public are path segments that are public by convention: sign-in and
// sign-up, health and readiness, documentation, discovery documents.
var public = map[string]bool{
	"login": true, "logout": true, "signin": true, "signup": true, "sign_in": true, "sign_up": true,
	"register": true, "token": true, "refresh": true, "health": true, "healthz": true, "ready": true,
	"readyz": true, "live": true, "livez": true, "status": true, "ping": true, "version": true, "docs": true,
	"redoc": true, "openapi": true, "openapi.json": true, "openapi.yaml": true, "swagger": true,
	"swagger.json": true, "api-docs": true, "spec": true, "public": true, "static": true, "callback": true,
	"oauth": true, "reset": true, "forgot": true, "verify": true, "jwks": true, "jwks.json": true,
	"index": true, "home": true, "about": true, "metrics": true, "openid": true, "configuration": true,
	"certs": true, "config": true, "well": true, "favicon.ico": true, "robots.txt": true,
}

// AdminWord reports whether one path segment (lower case) names an
// administrative function.
func AdminWord(s string) bool { return admin[strings.ToLower(s)] }

// PublicWord reports whether one path segment (lower case) is public by
// convention; ".well-known" prefixes are.
func PublicWord(s string) bool {
	s = strings.ToLower(s)
	return public[s] || strings.HasPrefix(s, ".well-known")
}

// Segments splits a path into its lower-case segments.
func Segments(path string) []string {
	return strings.FieldsFunc(strings.ToLower(path), func(r rune) bool { return r == '/' })
}

// AdminPath reports whether any segment of path names an administrative
// function.
func AdminPath(path string) bool {
	for _, s := range Segments(path) {
		if AdminWord(s) {
			return true
		}
	}
	return false
}
