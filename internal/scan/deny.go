package scan

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// param is a path template's parameter ({id}, <int:id>), which matches any
// one segment of a concrete request path.
var param = regexp.MustCompile(`\{[^/}]*\}|<[^/>]*>`)

// denied is the client's backstop for the user's exclusions (config
// exclude:, --exclude): the inventory leaves excluded endpoints out, and
// this keeps every phase that builds its own request (a registration or
// spec path it guesses, an id it fills in) from sending one, matched on
// the request's path as sent and relative to the target's base path. A
// pattern that does not parse is reported by excludeEndpoints.
func denied(target *url.URL, patterns []string) func(string, *url.URL) bool {
	var ex []inventory.Exclusion
	for _, p := range patterns {
		if e, err := inventory.ParseExclusion(p); err == nil {
			e.Glob = param.ReplaceAllString(e.Glob, "*")
			ex = append(ex, e)
		}
	}
	if len(ex) == 0 {
		return nil
	}
	base := strings.TrimSuffix(target.Path, "/")
	return func(method string, u *url.URL) bool {
		paths := []string{u.Path}
		if rel, ok := strings.CutPrefix(u.Path, base); ok && base != "" && strings.HasPrefix(rel, "/") {
			paths = append(paths, rel)
		}
		for _, e := range ex {
			for _, p := range paths {
				if e.Matches(inventory.Endpoint{Method: strings.ToUpper(method), Path: p}) {
					return true
				}
			}
		}
		return false
	}
}
