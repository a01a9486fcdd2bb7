package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/identity"
)

// apiKeyConfig is an identity's key credential and where it is sent;
// without a place (api_key: {value: ...}, or the value alone) the scan
// infers it.
type apiKeyConfig struct {
	Header string `yaml:"header"`
	Query  string `yaml:"query"`
	Cookie string `yaml:"cookie"`
	Value  string `yaml:"value"`
}

// UnmarshalYAML takes the mapping, or a plain value: a key whose place
// is inferred.
func (k *apiKeyConfig) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*k = apiKeyConfig{Value: n.Value}
		return nil
	}
	type plain apiKeyConfig
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*k = apiKeyConfig(p)
	return nil
}

// creds splits an identity's entry into credentials and plain headers.
func (ic *identityConfig) creds() (identity.Creds, error) {
	c := identity.Creds{Bearer: ic.Bearer, Headers: map[string]string{}, Query: ic.Query, Cookies: ic.Cookies}
	for k, v := range ic.Headers {
		if credentialHeader(k) {
			c.Headers[k] = v // the old meaning, kept (see deprecations)
			continue
		}
		if c.Plain == nil {
			c.Plain = map[string]string{}
		}
		c.Plain[k] = v
	}
	if k := ic.APIKey; k != nil {
		kind, name := "", ""
		for _, w := range []struct{ kind, name string }{{"header", k.Header}, {"query", k.Query}, {"cookie", k.Cookie}} {
			if w.name == "" {
				continue
			}
			if kind != "" {
				return c, errors.New("api_key: give one of header, query or cookie")
			}
			kind, name = w.kind, w.name
		}
		switch {
		case k.Value == "":
			return c, errors.New("api_key: needs value:")
		case kind == "":
			// No place given: the scan infers it from the spec, the
			// source's reads and the refusals, and confirms it served.
			c.Unplaced = k.Value
		default:
			if err := c.Set(kind, name, k.Value); err != nil {
				return c, fmt.Errorf("api_key: %w", err)
			}
		}
	}
	if len(c.Headers) == 0 {
		c.Headers = nil
	}
	return c, nil
}

// credentialHeader: a header name that says it carries a credential.
func credentialHeader(name string) bool {
	l := strings.ToLower(name)
	switch {
	case l == "authorization" || l == "proxy-authorization" || l == "cookie":
		return true
	case l == "user-agent" || strings.HasPrefix(l, "accept") || strings.HasPrefix(l, "content-"):
		return false // standard request headers, whatever words they hold
	}
	// A header naming the caller (X-User-ID) is a credential too, a weak
	// one: the checks must try it.
	for _, w := range []string{"key", "token", "secret", "auth", "session", "signature", "password", "credential", "user", "account", "identity", "principal"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// deprecations reads the file again for identities whose headers: hold
// credentials, the old meaning of headers:.
func deprecations(data []byte) []string {
	var raw struct {
		Identities yaml.Node `yaml:"identities"`
	}
	if yaml.Unmarshal(data, &raw) != nil || raw.Identities.Kind != yaml.MappingNode {
		return nil
	}
	var out []string
	n := raw.Identities
	for i := 0; i+1 < len(n.Content); i += 2 {
		var ic struct {
			Headers map[string]string `yaml:"headers"`
		}
		if n.Content[i+1].Decode(&ic) != nil {
			continue
		}
		var creds []string
		for k := range ic.Headers {
			if credentialHeader(k) {
				creds = append(creds, k)
			}
		}
		sort.Strings(creds)
		for _, k := range creds {
			hint := fmt.Sprintf("write api_key: {header: %s, value: ...}", k)
			if strings.EqualFold(k, "Authorization") {
				hint = "write bearer: TOKEN for \"Authorization: Bearer TOKEN\", else api_key: {header: Authorization, value: ...} with the whole value (\"Token ...\")"
			}
			out = append(out, fmt.Sprintf("identity %s: headers: %s is read as a credential, as before; headers: now means plain request headers: %s", n.Content[i].Value, k, hint))
		}
	}
	return out
}
