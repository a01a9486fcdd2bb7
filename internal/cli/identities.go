package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
)

// mergeIdentities adds --identity flags to the config's identities;
// repeating a name adds a credential to that identity.
func mergeIdentities(fromConfig []*identity.Identity, flags []string) ([]*identity.Identity, error) {
	ids := append([]*identity.Identity(nil), fromConfig...)
	byName := map[string]*identity.Identity{}
	for _, id := range ids {
		byName[id.Name] = id
	}
	for _, raw := range flags {
		name, spec, ok := strings.Cut(raw, "=")
		if !ok || name == "" {
			// Never echo the flag: it holds a credential.
			return nil, fmt.Errorf("--identity %s…: want NAME=KIND:VALUE (value not shown)", safePrefix(raw))
		}
		id := byName[name]
		if id == nil {
			id = &identity.Identity{Name: name}
			byName[name] = id
			ids = append(ids, id)
		}
		if err := addCredential(&id.Base, spec); err != nil {
			return nil, fmt.Errorf("--identity %s: %w", name, err)
		}
	}
	return ids, nil
}

// addCredential parses KIND:VALUE (bearer) or KIND:NAME:VALUE.
func addCredential(c *identity.Creds, spec string) error {
	kind, rest, ok := strings.Cut(spec, ":")
	if !ok {
		return fmt.Errorf("want KIND:VALUE (bearer, header, query, cookie)")
	}
	if kind == "bearer" {
		if rest == "" {
			return errors.New("bearer: empty token")
		}
		return c.Set(kind, "", strings.TrimPrefix(rest, "Bearer "))
	}
	if kind != "header" && kind != "query" && kind != "cookie" {
		return fmt.Errorf("unknown kind %q (bearer, header, query, cookie)", kind)
	}
	name, value, ok := strings.Cut(rest, ":")
	if !ok || name == "" {
		return fmt.Errorf("%s: want %s:NAME:VALUE", kind, kind)
	}
	return c.Set(kind, name, value)
}

// safePrefix is the part of a malformed --identity flag that can be shown:
// up to its first separator, and never more than a name's length.
func safePrefix(raw string) string {
	i := strings.IndexAny(raw, ":=")
	if i < 0 || i > 24 {
		return "" // no name to show: it may be the credential itself
	}
	raw = raw[:i]
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, raw)
}
