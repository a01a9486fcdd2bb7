package transport

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// Options is what inference reads and sends with.
type Options struct {
	Client    *httpx.Client
	Session   *identity.Session
	Inventory *inventory.Inventory
	// Identities are the scan's; only logins with a token path and no use:
	// are decided here.
	Identities []*identity.Identity
	// Hints are placements the source's configuration names (see
	// source.TokenHints).
	Hints []Candidate
	// Reads are placements the source's request handling reads and
	// decides access with (see source.CredentialReads): weaker evidence,
	// tried after the spec, the configuration and the refusals.
	Reads []Candidate
	// Late are read placements whose names do not look like a
	// credential (X-User, lang): tried after the Bearer default, before
	// the fallbacks, so that a header naming the caller is not taken for
	// the token's place first.
	Late []Candidate
	// Writes (--allow-writes): when no GET refuses an anonymous request,
	// DELETEs of made-up ids may be the gates (an API that guards only
	// its writes); nothing real is addressed.
	Writes bool
}

const (
	// maxChallenges caps the anonymous requests sent to find a refusal,
	// among parameterless GETs and again among GETs with an id.
	maxChallenges = 4
	// maxTrials caps the requests that try placements with a real token;
	// each candidate the source's reads propose adds one (they come
	// before the default and must not use up its tries).
	maxTrials = 8
)

// fallbacks are tried last, when nothing the API or its code said was
// served: the scheme words Flask tutorials use most.
var fallbacks = []Candidate{
	{Use: "header:Authorization:Token {token}", Why: "a common scheme word"},
	{Use: "header:Authorization:JWT {token}", Why: "a common scheme word"},
}

// Infer sets where each login identity without use: sends its token, and
// where each key configured without a place (api_key: {value: ...}) is
// sent, and returns one line per decision for the result's warnings.
// Candidates come from the spec, the source's settings, an anonymous
// refusal and the request values the source reads to decide access; each
// is tried once with the identity's real token or key on an endpoint that
// refused the anonymous request, and every refusal met on the way adds
// the placements its message names. The first placement served wins; when
// none is, the best-supported one is kept and the note says so.
func Infer(ctx context.Context, o Options) []string {
	groups := map[string][]*identity.Identity{}
	var order []string
	var keys []*identity.Identity
	for _, id := range o.Identities {
		if id.Login == nil && id.Base.Unplaced != "" {
			keys = append(keys, id)
			continue
		}
		if id.Login == nil || id.Login.Token == "" || id.Login.Use != "" {
			continue
		}
		k := strings.ToUpper(id.Login.Method) + " " + id.Login.URL
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], id)
	}
	if len(order) == 0 && len(keys) == 0 {
		return nil
	}
	spec := FromSpec(o.Inventory)
	gates := o.findGates(ctx)
	var refused []Candidate
	for _, g := range gates {
		refused = append(refused, g.said...)
	}
	// A login's token: the spec, the JWT settings, the refusals, the reads.
	said := append(append(append(append([]Candidate(nil), spec...), o.Hints...), refused...), o.Reads...)
	o.declarePlaces(said, o.Late, fallbacks)
	var notes []string
	for _, k := range order {
		ids := groups[k]
		tok, err := ids[0].Token(ctx, o.Session)
		if err != nil {
			tok = ""
		}
		c, note := o.decide(ctx, ids[0].Name, ids[0].Base, tok, gates, said, loginDefault)
		for _, id := range ids {
			if c.Use != "" && c.Use != "bearer" {
				if err := id.SetUse(c.Use); err != nil {
					notes = append(notes, fmt.Sprintf("identity %s: %v", id.Name, err))
					continue
				}
			}
			notes = append(notes, fmt.Sprintf("identity %s: token sent as %s (%s; set login.use to change it)", id.Name, c.Use, note))
		}
	}
	// A key: the spec, the refusals, the reads; the JWT settings say
	// where a JWT goes, not a key.
	keySaid := append(append(append([]Candidate(nil), spec...), refused...), o.Reads...)
	for _, id := range keys {
		said := keySaid
		if c, ok := schemeValue(id.Base.Unplaced); ok {
			said = append([]Candidate{c}, keySaid...)
		}
		c, note := o.decide(ctx, id.Name, id.Base, id.Base.Unplaced, gates, said, keyDefaults)
		if err := id.PlaceKey(c.Use); err != nil {
			notes = append(notes, fmt.Sprintf("identity %s: %v", id.Name, err))
			continue
		}
		notes = append(notes, fmt.Sprintf("identity %s: key sent as %s (%s; set api_key's header:, query: or cookie: to change it)", id.Name, c.Use, note))
	}
	return notes
}

// authValue is an Authorization value as RFC 9110 shapes it: a scheme
// word, one space, one credential ("Basic dXNlcjpwdw==", "Token abc").
var authValue = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9!#$%&'*+.^_|~-]* [A-Za-z0-9._~+/=-]+$`)

// schemeValue: a key given as a whole Authorization value (the scheme word
// written into it) goes in that header as it is, before anything else is
// tried: no other header carries a scheme word before its key.
func schemeValue(v string) (Candidate, bool) {
	if !authValue.MatchString(v) {
		return Candidate{}, false
	}
	scheme, _, _ := strings.Cut(v, " ")
	return Candidate{Use: "header:Authorization", Why: "the key's value starts with the scheme word " + scheme}, true
}

// loginDefault is where a login token goes when nothing says otherwise.
var loginDefault = []Candidate{{Use: "bearer", Why: "the default"}}

// keyDefaults are where a key goes when nothing the API or its code says
// is served: the header most key APIs name, the Authorization default and
// the bare key in Authorization (a code that reads the header may compare
// it whole), the query parameter most tutorials use.
var keyDefaults = []Candidate{
	{Use: "header:X-API-Key", Why: "the common key header"},
	{Use: "bearer", Why: "the default"},
	{Use: "header:Authorization", Why: "the key alone in Authorization"},
	{Use: "query:api_key", Why: "the common key parameter"},
}

// gate is an endpoint that refused an anonymous request: where
// placements are tried.
type gate struct {
	ep     *inventory.Endpoint
	url    string
	status int
	said   []Candidate
	// param: the path has parameters, filled with made-up values; an
	// authenticated request may then be answered 404.
	param bool
	// method is the gate's (GET unless a write gate).
	method string
	// bodyless: a write sent without a body; an authenticated request
	// is then answered with the body's refusal (400, 415, 422).
	bodyless bool
}

// maxGates is how many refusing endpoints placements are tried on: the
// first may refuse every identity (an admin route), the others tell.
const maxGates = 3

// findGates sends anonymous GETs to a few endpoints — parameterless ones
// first (those the spec says are gated first), then ones whose path
// parameters take made-up values (an API whose every read is
// /things/{id}) — and returns those that refused, at most maxGates.
func (o Options) findGates(ctx context.Context) []*gate {
	if o.Inventory == nil {
		return nil
	}
	var plain, params []*inventory.Endpoint
	for i := range o.Inventory.Endpoints {
		ep := &o.Inventory.Endpoints[i]
		if ep.Method != http.MethodGet || ep.Declared() && len(ep.Security) == 0 {
			continue
		}
		if _, changes := inventory.SideEffect(*ep); changes {
			continue // a GET that changes state (logout, reset) is never called
		}
		switch {
		case len(ep.Params) == 0 && !strings.Contains(ep.Path, "{"):
			plain = append(plain, ep)
		case onlyPathParams(ep):
			params = append(params, ep)
		}
	}
	for _, l := range [][]*inventory.Endpoint{plain, params} {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i].Security) > 0 && len(l[j].Security) == 0 })
	}
	var out []*gate
	for _, l := range [][]*inventory.Endpoint{plain, params} {
		out = o.challenge(ctx, l, out)
	}
	if len(out) == 0 && o.Writes {
		out = o.writeGates(ctx)
	}
	if len(out) == 0 && o.Writes {
		out = o.bodylessGates(ctx)
	}
	return out
}

// challenge sends anonymous GETs to up to maxChallenges of eps, adding
// those that refuse to gates (at most maxGates in all).
func (o Options) challenge(ctx context.Context, eps []*inventory.Endpoint, out []*gate) []*gate {
	base := strings.TrimRight(o.Session.Target.String(), "/")
	for i, ep := range eps {
		if i == maxChallenges || len(out) == maxGates || ctx.Err() != nil {
			break
		}
		u := base + ep.Concrete(nil)
		resp := o.Client.Do(ctx, &httpx.Request{Method: http.MethodGet, URL: u, Header: http.Header{}, Identity: "anonymous"})
		if resp.Err != nil || !refusal(resp.Status) {
			continue
		}
		out = append(out, &gate{ep: ep, url: u, status: resp.Status, param: strings.Contains(ep.Path, "{"),
			said: FromRefusal(resp.Status, resp.Header, resp.Body, ep.Key())})
	}
	return out
}

// onlyPathParams: every parameter of ep is in its path.
func onlyPathParams(ep *inventory.Endpoint) bool {
	if !strings.Contains(ep.Path, "{") {
		return false
	}
	for _, p := range ep.Params {
		if p.In != "path" && p.Required {
			return false
		}
	}
	return true
}

// refusal: an answer that is neither served nor "no such route".
func refusal(status int) bool {
	switch {
	case status/100 == 2 || status/100 == 3:
		return false
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusTooManyRequests:
		return false
	}
	return true
}

// declarePlaces tells the redactor the names of every place a candidate
// names: names of places are public, so a short key inside a longer name
// ("my_api_key" in the header my_api_key_name) is not masked in the notes
// and evidence that report the name.
func (o Options) declarePlaces(lists ...[]Candidate) {
	if o.Client == nil || o.Client.Redactor == nil {
		return
	}
	for _, l := range lists {
		for _, c := range l {
			if p, err := identity.ParseUse(c.Use); err == nil && p.Name != "" {
				o.Client.Redactor.Places(p.Name)
			}
		}
	}
}
