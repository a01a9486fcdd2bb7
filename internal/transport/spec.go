package transport

import (
	"regexp"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// schemePrefix finds a scheme word a description asks for: `Prefix the
// token with "Token "`, `"JWT <token>"`, `Token xxxxx.yyyyy.zzzzz`.
var schemePrefix = regexp.MustCompile(`["'\x60]([A-Za-z][A-Za-z0-9_-]*) (?:<[^>]*>|[A-Za-z0-9_.{}-]*)["'\x60]`)

// FromSpec reads the placements the security schemes of the spec's
// operations name, exactly: an apiKey scheme's header, query parameter or
// cookie by its own name, an http or oauth2 bearer scheme as a Bearer
// token. Alternatives (an API that takes its key from a header or a query
// parameter, FastAPI's APIKeyHeader beside APIKeyQuery) are all returned,
// the places that keep the credential out of URLs first: a header, then
// Bearer, then a cookie, then a query parameter; each is still confirmed
// on a refusing endpoint. None when the spec says nothing that settles it
// (no scheme, only schemes authprobe does not send as a token, or an
// Authorization apiKey without a scheme word): then a refusal may tell.
func FromSpec(inv *inventory.Inventory) []Candidate {
	if inv == nil {
		return nil
	}
	used := map[string]bool{}
	for _, ep := range inv.Endpoints {
		for _, set := range ep.Security {
			for _, name := range set {
				used[name] = true
			}
		}
	}
	var names []string
	for n := range used {
		if _, ok := inv.Schemes[n]; ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var cands []Candidate
	seen := map[string]bool{}
	for _, n := range names {
		sc := inv.Schemes[n]
		u := ""
		switch {
		case sc.Type == "bearer":
			u = "bearer"
		case sc.Type != "apiKey":
			continue // basic, digest: not a token's place
		case sc.In == "header" && strings.EqualFold(sc.Param, "Authorization"):
			m := schemePrefix.FindStringSubmatch(sc.Description)
			switch {
			case m == nil:
				continue // no scheme word: a refusal's challenge may tell
			case strings.EqualFold(m[1], "Bearer"):
				u = "bearer"
			default:
				u = "header:Authorization:" + m[1] + " {token}"
			}
		case sc.In == "header" || sc.In == "query" || sc.In == "cookie":
			u = sc.In + ":" + sc.Param
		default:
			continue
		}
		if seen[u] {
			continue
		}
		seen[u] = true
		why := "the spec's security scheme " + n
		if u == "bearer" {
			why = "the spec's security schemes"
		}
		cands = append(cands, Candidate{Use: u, Why: why})
	}
	sort.SliceStable(cands, func(i, j int) bool { return placeRank(cands[i].Use) < placeRank(cands[j].Use) })
	return cands
}

// placeRank orders a spec's alternatives: a named header, Bearer, a
// cookie, a query parameter (a credential in a URL ends up in logs; the
// apikey.in-query check tries that place on its own).
func placeRank(use string) int {
	switch {
	case strings.HasPrefix(use, "header:"):
		return 0
	case use == "bearer":
		return 1
	case strings.HasPrefix(use, "cookie:"):
		return 2
	}
	return 3
}
