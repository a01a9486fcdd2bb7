package clientid

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// carrier is a request value that may name the caller.
type carrier struct {
	In   string // header, cookie or query
	Name string
	// why says where it was seen ("alice and bob send their user names in
	// it", "read at app.py:12").
	why   string
	where string // file:line of the source read, if any
	// literals are values the code compares it with.
	literals []string
	// own are each identity's values of it: the one it sends, else the
	// identifiers the API knows it by whose field is named like it.
	own map[string][]string
	// encoding and field: how the code builds the value it sets
	// ("base64-json", "username"); "" sends the value as it is.
	encoding, field string
	// spent counts the requests its proofs sent (budget per carrier).
	spent int
}

// wire is the value as sent: encoded as the code builds it.
func (c *carrier) wire(v string) string {
	if c.encoding == "base64-json" && c.field != "" {
		b, _ := json.Marshal(map[string]string{c.field: v})
		return base64.StdEncoding.EncodeToString(b)
	}
	return v
}

// location is the source line that reads the carrier, if known.
func (c *carrier) location() *finding.Location {
	file, line, ok := strings.Cut(c.where, ":")
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(line)
	if err != nil {
		return nil
	}
	return &finding.Location{File: file, Line: n}
}

// identityName: a request value named like a principal (X-User-Id,
// X-Forwarded-User, username, uid). A hint that orders candidates and
// admits a configured value the API has not been seen to name the
// identity by; a source read or an observed value needs no such name.
func identityName(name string) bool {
	n := principal.Norm(name)
	n = strings.TrimPrefix(n, "x")
	for _, p := range []string{"forwarded", "remote", "auth", "authenticated", "real", "original"} {
		n = strings.TrimPrefix(n, p)
	}
	return principal.IsIdentityKey(n) || strings.Contains(n, "user") || n == "role" || n == "actor" ||
		n == "principal" || n == "caller" || n == "tenant" || n == "account"
}

// secretName: a value named like a secret is a credential, tested by the
// key and token checks, not a claim of who the caller is.
func secretName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range []string{"key", "token", "secret", "jwt", "password", "authorization", "signature"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// carriers collects the candidates: values the identities send that name
// them (observed), and request values the source reads (with the
// identities' known identifiers as their values).
func carriers(p *probe.Pass, selves []*principal.Self, creds map[string]identity.Creds) []*carrier {
	byKey := map[string]*carrier{}
	var order []string
	get := func(in, name string) *carrier {
		k := in + " " + strings.ToLower(name)
		c := byKey[k]
		if c == nil {
			c = &carrier{In: in, Name: name, own: map[string][]string{}}
			byKey[k] = c
			order = append(order, k)
		}
		return c
	}
	for _, id := range p.Identities() {
		cr, ok := creds[id.Name]
		if !ok {
			continue
		}
		self := principal.Named(selves, id.Name)
		each := func(in string, m map[string]string) {
			for name, v := range m {
				if secretName(name) || v == "" || len(v) > 512 {
					continue
				}
				if field, who, ok := encodedSelf(v, self); ok && in == "cookie" {
					// The identity's own cookie is base64 JSON naming it:
					// nothing signs it.
					c := get(in, name)
					c.encoding, c.field = "base64-json", field
					c.own[id.Name] = []string{who}
					continue
				}
				if len(v) > 128 || (self == nil || !self.Has(v)) && !identityName(name) {
					continue
				}
				c := get(in, name)
				c.own[id.Name] = []string{v}
			}
		}
		each("header", cr.Plain)
		each("header", cr.Headers)
		each("cookie", cr.Cookies)
		each("query", cr.Query)
	}
	for _, k := range order {
		c := byKey[k]
		var names []string
		for n := range c.own {
			names = append(names, n)
		}
		sort.Strings(names)
		c.why = strings.Join(names, ", ") + " send their own identifiers in it"
	}
	for _, r := range p.Settings().IdentityReads {
		c := get(r.In, r.Name)
		c.where = r.Where
		c.literals = r.Literals
		if r.Encoding != "" {
			c.encoding, c.field = r.Encoding, r.Field
		}
		if c.why == "" {
			c.why = "read from the request at " + r.Where
		} else {
			c.why += "; read at " + r.Where
		}
		for _, s := range selves {
			if len(c.own[s.Name]) > 0 {
				continue
			}
			want := r.Name
			if r.Field != "" {
				want = r.Field
			}
			c.own[s.Name] = knownBy(s, want)
		}
	}
	// Header and cookie parameters the spec declares, with the values
	// their schemas enumerate (X-Role: [admin, user]).
	for _, ep := range p.Inventory().Endpoints {
		for _, cp := range ep.Carried {
			if secretName(cp.Name) || standardHeader(cp.Name) {
				continue
			}
			c := get(cp.In, cp.Name)
			if c.why == "" {
				c.why = "declared by the spec on " + ep.Key()
			}
			for _, v := range cp.Enum {
				if !slices.Contains(c.literals, v) {
					c.literals = append(c.literals, v)
				}
			}
			for _, s := range selves {
				if len(c.own[s.Name]) == 0 {
					c.own[s.Name] = knownBy(s, cp.Name)
				}
			}
		}
	}
	// Headers a refusal names ("X-User-Id header required"), when named
	// like a principal.
	for _, ep := range p.Endpoints() {
		for _, name := range refusalHeaders(p.Anonymous(ep)) {
			c := get("header", name)
			if c.why == "" {
				c.why = "named in the refusal of " + ep.Key()
			}
			for _, s := range selves {
				if len(c.own[s.Name]) == 0 {
					c.own[s.Name] = knownBy(s, name)
				}
			}
		}
	}
	var out []*carrier
	for _, k := range order {
		c := byKey[k]
		// A carrier is worth proving when two identities hold different
		// values of it, or the code compares it with a literal.
		if distinct(c.own) >= 2 || len(c.literals) > 0 {
			out = append(out, c)
		}
	}
	// Named like an identity first: the hint orders, never gates.
	sort.SliceStable(out, func(i, j int) bool { return identityName(out[i].Name) && !identityName(out[j].Name) })
	return out
}

// knownBy are the identifiers the API knows s by that may be the
// carrier's values: those learnt from a field named like it first, then
// its other ids (a numeric id, a user name), at most three.
func knownBy(s *principal.Self, name string) []string {
	want := strings.TrimPrefix(principal.Norm(name), "x")
	var first, rest []string
	for _, v := range s.IDs() {
		k := s.Key(v)
		if k != "" && (k == want || strings.HasSuffix(want, k) || strings.HasSuffix(k, want)) {
			first = append(first, v)
		} else if principal.IsIdentityKey(k) {
			rest = append(rest, v)
		}
	}
	out := append(first, rest...)
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

// distinct counts the different values the identities hold.
func distinct(own map[string][]string) int {
	seen := map[string]bool{}
	for _, vs := range own {
		if len(vs) > 0 {
			seen[strings.ToLower(vs[0])] = true
		}
	}
	return len(seen)
}

var headerWord = regexp.MustCompile(`\b[Xx]-[A-Za-z][A-Za-z0-9-]{1,40}\b`)

// refusalHeaders are the X- headers a refusal's body names that are named
// like a principal and are no secret.
func refusalHeaders(s *oracle.Sample) []string {
	if s == nil || !oracle.Refusal(s) {
		return nil
	}
	var out []string
	for _, h := range headerWord.FindAllString(string(s.Body), 5) {
		if identityName(h) && !secretName(h) && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// standardHeader: a header of the transport or of content negotiation,
// which a spec may declare and which never names a caller.
func standardHeader(name string) bool {
	switch strings.ToLower(name) {
	case "accept", "accept-language", "accept-encoding", "content-type", "content-length", "user-agent",
		"host", "origin", "referer", "cookie", "x-request-id", "x-correlation-id", "if-none-match",
		"if-match", "if-modified-since", "cache-control", "x-forwarded-for", "x-forwarded-proto", "x-real-ip":
		return true
	}
	return false
}

// encodedSelf: v is base64 (standard or URL alphabet) of a JSON object
// with an identity field holding one of the self's values, and nothing
// else around it (no signature): the field and the value.
func encodedSelf(v string, self *principal.Self) (string, string, bool) {
	if self == nil {
		return "", "", false
	}
	var raw []byte
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(strings.Trim(v, `"`)); err == nil {
			raw = b
			break
		}
	}
	var m map[string]any
	if raw == nil || json.Unmarshal(raw, &m) != nil {
		return "", "", false
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if str, ok := m[k].(string); ok && principal.IsIdentityKey(k) && self.Has(str) {
			return k, str, true
		}
	}
	return "", "", false
}
