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

// FromSpec reads the placement from the security schemes the spec's
// operations require; "" when they say bearer, disagree or say nothing.
// decided is false when the spec says nothing that settles it (no scheme,
// or an Authorization apiKey without a scheme word): then a refusal may
// tell.
func FromSpec(inv *inventory.Inventory) (use, why string, decided bool) {
	if inv == nil {
		return "", "", false
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
	uses := map[string]bool{}
	var first string
	for _, n := range names {
		sc := inv.Schemes[n]
		u := ""
		switch {
		case sc.Type != "apiKey":
			return "", "", true // bearer (the default) or a scheme authprobe does not send
		case sc.In == "header" && strings.EqualFold(sc.Param, "Authorization"):
			m := schemePrefix.FindStringSubmatch(sc.Description)
			switch {
			case m == nil:
				continue // no scheme word: a refusal's challenge may tell
			case strings.EqualFold(m[1], "Bearer"):
				return "", "", true
			}
			u = "header:Authorization:" + m[1] + " {token}"
		default:
			u = sc.In + ":" + sc.Param
		}
		if first == "" {
			first, why = u, "the spec's security scheme "+n
		}
		uses[u] = true
	}
	switch len(uses) {
	case 0:
		return "", "", false
	case 1:
		return first, why, true
	}
	return "", "", true // schemes disagree: keep the default
}
