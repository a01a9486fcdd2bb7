package identity

import (
	"errors"
	"fmt"
	"strings"
)

// Placement is where a login token is sent, parsed from a login's use:
// "bearer" (or empty), "header:NAME", "header:NAME:TEMPLATE" (a value
// template holding {token} once, at its end: "Token {token}"),
// "cookie:NAME" or "query:NAME".
type Placement struct {
	Kind   string // bearer, header, cookie, query
	Name   string // header, cookie or parameter name
	Prefix string // text sent before the token ("Token ")
}

// ErrUse is wrapped by every use: parse error.
var ErrUse = errors.New("want bearer, header:NAME, \"header:NAME:SCHEME {token}\", cookie:NAME or query:NAME")

// ParseUse parses and validates a login's use: value.
func ParseUse(use string) (Placement, error) {
	kind, rest, _ := strings.Cut(strings.TrimSpace(use), ":")
	kind = strings.ToLower(kind)
	switch kind {
	case "", "bearer":
		if rest != "" {
			return Placement{}, fmt.Errorf("use %q: bearer takes no name: %w", use, ErrUse)
		}
		return Placement{Kind: "bearer"}, nil
	case "header", "cookie", "query":
	default:
		return Placement{}, fmt.Errorf("use %q: unknown kind %q: %w", use, kind, ErrUse)
	}
	name, tmpl, hasTmpl := strings.Cut(rest, ":")
	name = strings.TrimSpace(name)
	if name == "" {
		return Placement{}, fmt.Errorf("use %q: %s needs a name: %w", use, kind, ErrUse)
	}
	if strings.ContainsAny(name, " \t\r\n;=,") {
		return Placement{}, fmt.Errorf("use %q: %q is not a valid %s name: %w", use, name, kind, ErrUse)
	}
	p := Placement{Kind: kind, Name: name}
	if !hasTmpl {
		return p, nil
	}
	if kind != "header" {
		return Placement{}, fmt.Errorf("use %q: only a header takes a value template: %w", use, ErrUse)
	}
	prefix, suffix, ok := strings.Cut(tmpl, "{token}")
	switch {
	case !ok:
		return Placement{}, fmt.Errorf("use %q: the value template has no {token} (write \"header:%s:%s {token}\"): %w", use, name, strings.TrimSpace(tmpl), ErrUse)
	case suffix != "":
		return Placement{}, fmt.Errorf("use %q: {token} must end the value template: %w", use, ErrUse)
	case strings.ContainsAny(prefix, "\r\n"):
		return Placement{}, fmt.Errorf("use %q: the value template holds a line break: %w", use, ErrUse)
	}
	if strings.EqualFold(name, "Authorization") && strings.EqualFold(strings.TrimSpace(prefix), "Bearer") {
		return Placement{Kind: "bearer"}, nil
	}
	p.Prefix = prefix
	return p, nil
}

// String renders the placement in use: syntax.
func (p Placement) String() string {
	switch {
	case p.Kind == "bearer":
		return "bearer"
	case p.Prefix != "":
		return p.Kind + ":" + p.Name + ":" + p.Prefix + "{token}"
	}
	return p.Kind + ":" + p.Name
}

// Put sets tok in c where the placement says.
func (p Placement) Put(c *Creds, tok string) error {
	return c.Set(p.Kind, p.Name, p.Prefix+tok)
}

// PlaceKey moves a key configured without a location (Base.Unplaced) to
// where use says ("header:X-API-Key", "query:api_key", "bearer"); the
// identity then sends it there like any configured key.
func (id *Identity) PlaceKey(use string) error {
	p, err := ParseUse(use)
	if err != nil {
		return err
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.Base.Unplaced == "" {
		return fmt.Errorf("identity %s has no key to place", id.Name)
	}
	base := id.Base.Clone()
	if err := p.Put(&base, base.Unplaced); err != nil {
		return err
	}
	base.Unplaced = ""
	id.Base = base
	return nil
}
