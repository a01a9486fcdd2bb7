// Package jwt holds the live checks of how an API verifies JWTs: forged,
// tampered, stripped and unsigned tokens, tokens from the query string, and
// the hygiene of the tokens the API issues.
package jwt

import (
	"crypto/rand"
	"encoding/hex"
	"sort"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/jose"
)

// slot is where an identity's JWT travels: the bearer, a header, a cookie or
// a query parameter.
type slot struct {
	kind, name string
}

func (s slot) String() string {
	if s.kind == "bearer" {
		return "Authorization: Bearer"
	}
	return s.kind + " " + s.name
}

// find returns the identity's JWT and where it is sent.
func find(c identity.Creds) (slot, *jose.Token, bool) {
	if t, err := jose.Parse(c.Bearer); c.Bearer != "" && err == nil {
		return slot{kind: "bearer"}, t, true
	}
	for _, m := range []struct {
		kind string
		vals map[string]string
	}{{"header", c.Headers}, {"cookie", c.Cookies}, {"query", c.Query}} {
		keys := make([]string, 0, len(m.vals))
		for k := range m.vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if t, err := jose.Parse(m.vals[k]); err == nil {
				return slot{kind: m.kind, name: k}, t, true
			}
		}
	}
	return slot{}, nil, false
}

// with returns creds carrying tok in the slot instead of the real token.
func (s slot) with(c identity.Creds, tok string) identity.Creds {
	out := c.Clone()
	switch s.kind {
	case "bearer":
		out.Bearer = tok
	case "header":
		out.Headers[s.name] = tok
	case "cookie":
		out.Cookies[s.name] = tok
	case "query":
		out.Query[s.name] = tok
	}
	return out
}

// without returns creds with the token removed.
func (s slot) without(c identity.Creds) identity.Creds {
	out := c.Clone()
	switch s.kind {
	case "bearer":
		out.Bearer = ""
	case "header":
		delete(out.Headers, s.name)
	case "cookie":
		delete(out.Cookies, s.name)
	case "query":
		delete(out.Query, s.name)
	}
	return out
}

// canary is a value no server produces on its own.
func canary() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "authprobe" + hex.EncodeToString(b)
}
