// Package slots names where an identity's credentials travel (bearer,
// header, query parameter, cookie) and what each one is (a JWT, an API key,
// a session cookie), and builds the credential variants the auth matrix and
// the API-key checks send: one credential alone, a credential replaced by a
// random value of the same shape, two identities' credentials combined. It
// sends nothing.
package slots

import (
	"crypto/rand"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
)

// Kinds of credential.
const (
	JWT     = identity.KindJWT
	Key     = identity.KindKey
	Session = identity.KindSession
)

// Where a credential travels.
const (
	Bearer = identity.InBearer
	Header = identity.InHeader
	Query  = identity.InQuery
	Cookie = identity.InCookie
)

// Slot is one credential of an identity (identity.Slot).
type Slot = identity.Slot

// Of lists the credentials of c, bearer first, then headers, query
// parameters and cookies by name. A value that parses as a JWT is a JWT
// wherever it travels; a cookie is an API key only when the spec declares an
// apiKey scheme in that cookie, otherwise a session; any other value is an
// API key (an opaque bearer token included).
func Of(c identity.Creds, inv *inventory.Inventory) []Slot {
	var out []Slot
	if c.Bearer != "" {
		out = append(out, Slot{In: Bearer, Kind: kindOf(c.Bearer, Key), Value: c.Bearer})
	}
	add := func(in string, m map[string]string, other string) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			kind := other
			if in == Cookie && declaredCookie(inv, k) {
				kind = Key
			}
			prefix, v := "", m[k]
			if in == Header {
				if scheme, cred, ok := strings.Cut(v, " "); ok && scheme != "" && cred != "" &&
					(strings.EqualFold(k, "Authorization") || kindOf(cred, "") == JWT) {
					prefix, v = scheme+" ", cred
				}
			}
			out = append(out, Slot{In: in, Name: k, Kind: kindOf(v, kind), Value: v, Prefix: prefix})
		}
	}
	add(Header, c.Headers, Key)
	add(Query, c.Query, Key)
	add(Cookie, c.Cookies, Session)
	return out
}

func kindOf(v, other string) string {
	if strings.Count(v, ".") == 2 {
		if _, err := jose.Parse(v); err == nil {
			return JWT
		}
	}
	return other
}

func declaredCookie(inv *inventory.Inventory, name string) bool {
	if inv == nil {
		return false
	}
	for _, s := range inv.Schemes {
		if s.Type == "apiKey" && s.In == "cookie" && strings.EqualFold(s.Param, name) {
			return true
		}
	}
	return false
}

// First returns the first slot of a kind.
func First(ss []Slot, kind string) (Slot, bool) {
	for _, s := range ss {
		if s.Kind == kind {
			return s, true
		}
	}
	return Slot{}, false
}

// Kinds returns the distinct kinds of ss, sorted.
func Kinds(ss []Slot) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s.Kind] {
			seen[s.Kind] = true
			out = append(out, s.Kind)
		}
	}
	sort.Strings(out)
	return out
}

// Combine returns the union of two credential sets (b wins on a clash).
func Combine(a, b identity.Creds) identity.Creds {
	out := a.Clone()
	if b.Bearer != "" {
		out.Bearer = b.Bearer
	}
	for _, m := range []struct{ dst, src map[string]string }{{out.Headers, b.Headers}, {out.Query, b.Query}, {out.Cookies, b.Cookies}} {
		for k, v := range m.src {
			m.dst[k] = v
		}
	}
	return out
}

// RandomLike returns a random value of the same shape as v: every letter
// and digit replaced by a random one of the same class, everything else
// (prefixes' underscores, dashes, dots) kept, so that a format check alone
// cannot tell it from a real key. It never returns v itself.
func RandomLike(v string) string {
	if v == "" {
		return "authprobe-" + randomFrom(lower+digits, 16)
	}
	for {
		b := []byte(v)
		for i, c := range b {
			switch {
			case c >= 'a' && c <= 'z':
				b[i] = pick(lower)
			case c >= 'A' && c <= 'Z':
				b[i] = pick(upper)
			case c >= '0' && c <= '9':
				b[i] = pick(digits)
			}
		}
		if out := string(b); out != v {
			return out
		}
		if !strings.ContainsAny(v, lower+upper+digits) {
			return v + randomFrom(lower, 8)
		}
	}
}

// Garbage returns a value that is not a JWT and no server issued.
func Garbage() string { return "authprobe-garbage-" + randomFrom(lower+digits, 12) }

const (
	lower  = "abcdefghijklmnopqrstuvwxyz"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits = "0123456789"
)

func pick(set string) byte {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
	if err != nil {
		return set[0]
	}
	return set[n.Int64()]
}

func randomFrom(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = pick(set)
	}
	return string(b)
}

// ForgedJWT returns tok with a claim added and signed HS256 with a random
// key: a well-formed JWT the server never issued.
func ForgedJWT(tok string) (string, error) {
	t, err := jose.Parse(tok)
	if err != nil {
		return "", err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	s, err := jose.HMAC("HS256", key)
	if err != nil {
		return "", err
	}
	return t.Resign(map[string]any{"authprobe": "forged-" + randomFrom(lower+digits, 8)}, s)
}

// Variants of the auth matrix's cells (probe.Cell.Variant). The engine
// sends them; checks read them.
const (
	// CellAnonymous: no credential at all.
	CellAnonymous = "anonymous"
	// CellIdentity: an identity's credentials, as calibrated.
	CellIdentity = "identity"
	// CellOnly: one credential of a multi-credential identity alone.
	CellOnly = "only"
	// CellGarbage: "Authorization: Bearer <garbage>" and nothing else.
	CellGarbage = "garbage-bearer"
	// CellForgedJWT: an identity's JWT re-signed with a random key, alone.
	CellForgedJWT = "jwt-forged"
	// CellBadKey: an identity's API key replaced by a random one, alone.
	CellBadKey = "key-invalid"
	// CellPlusBadKey: an identity's valid credentials plus an invalid key.
	CellPlusBadKey = "plus-key-invalid"
	// CellPlusForged: an identity's valid credentials plus a forged JWT.
	CellPlusForged = "plus-jwt-forged"
	// CellCombined: a JWT identity's and a key identity's credentials together.
	CellCombined = "combined"
)
