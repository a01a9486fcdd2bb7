package identity

import (
	"maps"
	"slices"
	"strings"
)

// Where a credential travels (Slot.In).
const (
	InBearer = "bearer"
	InHeader = "header"
	InQuery  = "query"
	InCookie = "cookie"
)

// What a credential is (Slot.Kind).
const (
	KindJWT     = "jwt"
	KindKey     = "key"
	KindSession = "session"
)

// Slot is one credential of an identity: where it travels (In and Name,
// and a scheme Prefix kept in front of every value sent there) and what it
// is (Kind, when known), with its Value. Probes, forgery and replay all
// name a credential with it.
type Slot struct {
	In    string // InBearer, InHeader, InQuery, InCookie
	Name  string // header, parameter or cookie name; empty for the bearer
	Kind  string // KindJWT, KindKey, KindSession; empty when not judged
	Value string
	// Prefix is kept in front of every value sent in the slot: the scheme
	// of an Authorization header configured as a header ("Token ").
	Prefix string
}

// String names the slot for messages: "header X-API-Key".
func (s Slot) String() string {
	if s.In == InBearer {
		return "Authorization: Bearer"
	}
	return s.In + " " + s.Name
}

// Where names the slot with its scheme prefix: "header Authorization:
// Token".
func (s Slot) Where() string {
	if s.In != InBearer && s.Prefix != "" {
		return s.In + " " + s.Name + ": " + strings.TrimSpace(s.Prefix)
	}
	return s.String()
}

// ID is the slot's place as a replay names it: "bearer" or "header:Name".
func (s Slot) ID() string {
	if s.In == InBearer {
		return InBearer
	}
	return s.In + ":" + s.Name
}

// With returns c with the slot's credential set to v (the slot is added
// when c does not carry it).
func (s Slot) With(c Creds, v string) Creds {
	out := c.Clone()
	switch s.In {
	case InBearer:
		out.Bearer = v
	case InHeader:
		out.Headers[s.Name] = s.Prefix + v
	case InQuery:
		out.Query[s.Name] = v
	case InCookie:
		out.Cookies[s.Name] = v
	}
	return out
}

// Without returns c with the slot's credential removed.
func (s Slot) Without(c Creds) Creds {
	out := c.Clone()
	switch s.In {
	case InBearer:
		out.Bearer = ""
	case InHeader:
		delete(out.Headers, s.Name)
	case InQuery:
		delete(out.Query, s.Name)
	case InCookie:
		delete(out.Cookies, s.Name)
	}
	return out
}

// Alone returns credentials carrying only this slot, with value v.
func (s Slot) Alone(v string) Creds {
	return s.With(Creds{}.Clone(), v)
}

// Slots lists c's credentials as they are sent, without judging what
// they are: the bearer, then headers, cookies and query parameters, each
// by name.
func (c Creds) Slots() []Slot {
	var out []Slot
	if c.Bearer != "" {
		out = append(out, Slot{In: InBearer, Value: c.Bearer})
	}
	for _, m := range []struct {
		in   string
		vals map[string]string
	}{{InHeader, c.Headers}, {InCookie, c.Cookies}, {InQuery, c.Query}} {
		for _, k := range slices.Sorted(maps.Keys(m.vals)) {
			out = append(out, Slot{In: m.in, Name: k, Value: m.vals[k]})
		}
	}
	return out
}
