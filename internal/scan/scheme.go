package scan

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// inferUse sets where each login identity without use: sends its token:
// from the spec's security schemes first (an apiKey in X-Access-Token, a
// cookie, an Authorization header whose description names its scheme),
// else from the WWW-Authenticate header of one gated endpoint's refusal
// ("Token" → "header:Authorization:Token {token}"). Bearer stays the
// default. It returns one line per decision, for the result's warnings.
func inferUse(ctx context.Context, client *httpx.Client, inv *inventory.Inventory, base string, ids []*identity.Identity) []string {
	var need []*identity.Identity
	for _, id := range ids {
		if id.Login != nil && id.Login.Token != "" && id.Login.Use == "" {
			need = append(need, id)
		}
	}
	if len(need) == 0 {
		return nil
	}
	use, why, decided := useFromSpec(inv)
	if !decided {
		use, why = useFromChallenge(ctx, client, inv, base)
	}
	if use == "" {
		return nil
	}
	var notes []string
	for _, id := range need {
		id.Login.Use = use
		notes = append(notes, "identity "+id.Name+": token sent as "+use+" ("+why+"; set login.use to change it)")
	}
	return notes
}

// schemePrefix finds a scheme word a description asks for: `Prefix the
// token with "Token "`, `"JWT <token>"`, `Token xxxxx.yyyyy.zzzzz`.
var schemePrefix = regexp.MustCompile(`["'\x60]([A-Za-z][A-Za-z0-9_-]*) (?:<[^>]*>|[A-Za-z0-9_.{}-]*)["'\x60]`)

// useFromSpec reads the placement from the security schemes the spec's
// operations require; "" when they say bearer, disagree or say nothing.
// decided is false when the spec says nothing that settles it (no scheme,
// or an Authorization apiKey without a scheme word): then a refusal's
// challenge may tell.
func useFromSpec(inv *inventory.Inventory) (use, why string, decided bool) {
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

// maxChallenges caps the anonymous requests sent to find a challenge.
const maxChallenges = 4

// useFromChallenge sends anonymous GETs to a few endpoints (those the spec
// says are gated first) until one is refused with 401, and reads the scheme
// its WWW-Authenticate asks for.
func useFromChallenge(ctx context.Context, client *httpx.Client, inv *inventory.Inventory, base string) (string, string) {
	var cands []*inventory.Endpoint
	for i := range inv.Endpoints {
		ep := &inv.Endpoints[i]
		if ep.Method == http.MethodGet && len(ep.Params) == 0 && !(ep.Declared() && len(ep.Security) == 0) {
			cands = append(cands, ep)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].Security) > 0 && len(cands[j].Security) == 0 })
	for i, ep := range cands {
		if i == maxChallenges {
			break
		}
		resp := client.Do(ctx, &httpx.Request{Method: http.MethodGet, URL: strings.TrimRight(base, "/") + ep.Path, Header: http.Header{}})
		if resp.Err != nil || resp.Status != http.StatusUnauthorized {
			continue
		}
		scheme, _, _ := strings.Cut(strings.TrimSpace(resp.Header.Get("WWW-Authenticate")), " ")
		scheme = strings.TrimSuffix(scheme, ",")
		switch {
		case scheme == "" || strings.ContainsAny(scheme, "=\"\r\n"):
			continue
		case strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic") || strings.EqualFold(scheme, "Digest"):
			return "", ""
		}
		return "header:Authorization:" + scheme + " {token}", "WWW-Authenticate: " + scheme + " on " + ep.Key()
	}
	return "", ""
}
