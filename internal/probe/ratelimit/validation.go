package ratelimit

import (
	"strings"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// otherField is a field a 400/422 answer names that is not where the
// guess or the username travels ("" when none, or when the series does
// not say where they travel): FastAPI's OAuth2 form answers 422 on its
// grant_type before it reads the password, and thirty such answers say
// nothing about throttling.
func (s series) otherField(a *oracle.Sample) string {
	if a == nil || len(s.carriers) == 0 || (a.Status != 400 && a.Status != 422) {
		return ""
	}
	for _, f := range reqbody.Named(a.Body) {
		if !s.carries(f) {
			return f
		}
	}
	return ""
}

func (s series) carries(f string) bool {
	n := canon(f)
	for _, c := range s.carriers {
		// A dot path (user.email) is carried by its last part too.
		if canon(c) == n || canon(c[strings.LastIndex(c, ".")+1:]) == n {
			return true
		}
	}
	return false
}

func canon(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s))
}
