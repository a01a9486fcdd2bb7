package identity

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
)

// Creds is one set of credentials sent together.
type Creds struct {
	Bearer  string
	Headers map[string]string
	Query   map[string]string
	Cookies map[string]string
	// Plain are request headers that are not credentials (a tenant, a
	// client version): sent with every request of the identity, never
	// tested as keys, never redacted as secrets.
	Plain map[string]string
	// Unplaced is a key the config gives without saying where it is sent
	// (api_key: {value: ...}): never sent as it is; the scan infers its
	// placement and moves it there (see PlaceKey).
	Unplaced string
}

// Clone returns a deep copy that can be changed freely.
func (c Creds) Clone() Creds {
	out := Creds{Bearer: c.Bearer, Headers: cloneMap(c.Headers), Query: cloneMap(c.Query), Cookies: cloneMap(c.Cookies), Unplaced: c.Unplaced}
	if len(c.Plain) > 0 {
		out.Plain = cloneMap(c.Plain)
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Empty reports whether no credential is set.
func (c Creds) Empty() bool {
	return c.Bearer == "" && len(c.Headers) == 0 && len(c.Query) == 0 && len(c.Cookies) == 0 && c.Unplaced == ""
}

// Secrets lists every credential value, for redaction.
func (c Creds) Secrets() []string {
	out := []string{c.Bearer, c.Unplaced}
	for _, m := range []map[string]string{c.Headers, c.Query, c.Cookies} {
		for _, v := range m {
			out = append(out, v)
		}
	}
	return out
}

// PlaceNames lists the names of the headers, query parameters and cookies
// the credentials travel in: public, unlike their values.
func (c Creds) PlaceNames() []string {
	var out []string
	for _, m := range []map[string]string{c.Headers, c.Query, c.Cookies} {
		for k := range m {
			out = append(out, k)
		}
	}
	return out
}

// ErrKind is returned by Set for a kind other than bearer, header, query
// or cookie.
var ErrKind = errors.New("unknown kind (bearer, header, query, cookie)")

// Set puts one credential value: kind is bearer (name unused), header,
// query or cookie (name required).
func (c *Creds) Set(kind, name, value string) error {
	kind = strings.ToLower(kind)
	if kind != "" && kind != "bearer" && name == "" {
		return fmt.Errorf("%s needs a name", kind)
	}
	*c = c.Clone() // non-nil maps
	switch kind {
	case "", "bearer":
		c.Bearer = value
	case "header":
		c.Headers[name] = value
	case "query":
		c.Query[name] = value
	case "cookie":
		c.Cookies[name] = value
	default:
		return fmt.Errorf("%q: %w", kind, ErrKind)
	}
	return nil
}

// Apply adds the credentials to req (whose URL must already be absolute).
func (c Creds) Apply(req *httpx.Request) error {
	if req.Header == nil {
		req.Header = map[string][]string{}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Plain)) {
		if req.Header.Get(k) == "" {
			req.Header.Set(k, c.Plain[k])
		}
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
		req.Carry("header:Authorization")
	}
	for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
		req.Header.Set(k, c.Headers[k])
		req.Carry("header:" + k)
	}
	if len(c.Cookies) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(c.Cookies)) {
			parts = append(parts, k+"="+c.Cookies[k])
			req.Carry("cookie:" + k)
		}
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	if len(c.Query) > 0 {
		u, err := url.Parse(req.URL)
		if err != nil {
			return err
		}
		q := u.Query()
		for _, k := range slices.Sorted(maps.Keys(c.Query)) {
			q.Set(k, c.Query[k])
			req.Carry("query:" + k)
		}
		u.RawQuery = q.Encode()
		req.URL = u.String()
	}
	return nil
}
