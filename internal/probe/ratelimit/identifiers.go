package ratelimit

import "github.com/authprobe/authprobe/internal/probe"

// Credential values that are not secrets: guessing them proves nothing
// about throttling, so no key series is sent for them.

// namesLoggedInUser: the header only names a user who logged in (the
// login issued nothing, and the caller says who it is afterwards): it is
// no secret to guess; the login's own brute-force series covers it.
func namesLoggedInUser(p *probe.Pass, name, value string) bool {
	for _, id := range p.Identities() {
		if id.Name != name || id.Login == nil || value == "" {
			continue
		}
		for _, v := range id.Login.JSON.Strings() {
			if v == value {
				return true
			}
		}
		for _, v := range id.Login.Form {
			if v == value {
				return true
			}
		}
	}
	return false
}

// identifier: a credential value that is a small plain number (X-User-ID:
// 1) names rather than proves: guessing it needs no brute force, and a series
// of wrong values proves nothing about throttling a secret. (Sequential or
// guessable keys are their own checks.)
func identifier(v string) bool {
	// Four digits at most: a longer number may be a PIN-like key, whose
	// guessing is exactly what throttling must stop.
	if v == "" || len(v) > 4 {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
