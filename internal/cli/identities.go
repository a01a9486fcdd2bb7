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
			return nil, fmt.Errorf("--identity %q: want NAME=KIND:VALUE", raw)
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

func addCredential(c *identity.Creds, spec string) error {
	kind, rest, ok := strings.Cut(spec, ":")
	if !ok {
		return fmt.Errorf("want KIND:VALUE (bearer, header, query, cookie)")
	}
	if c.Headers == nil {
		c.Headers, c.Query, c.Cookies = map[string]string{}, map[string]string{}, map[string]string{}
	}
	if kind == "bearer" {
		if rest == "" {
			return errors.New("bearer: empty token")
		}
		c.Bearer = strings.TrimPrefix(rest, "Bearer ")
		return nil
	}
	if kind != "header" && kind != "query" && kind != "cookie" {
		return fmt.Errorf("unknown kind %q (bearer, header, query, cookie)", kind)
	}
	name, value, ok := strings.Cut(rest, ":")
	if !ok || name == "" {
		return fmt.Errorf("%s: want %s:NAME:VALUE", kind, kind)
	}
	switch kind {
	case "header":
		c.Headers[name] = value
	case "query":
		c.Query[name] = value
	case "cookie":
		c.Cookies[name] = value
	default:
		return fmt.Errorf("unknown kind %q (bearer, header, query, cookie)", kind)
	}
	return nil
}
