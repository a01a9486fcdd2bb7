package clientid

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
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
