package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v4"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// Config is the YAML config file (docs/config.md). Flags override it.
type Config struct {
	Target     string              `yaml:"target"`
	Spec       string              `yaml:"spec"`
	Source     string              `yaml:"source"`
	Endpoints  []string            `yaml:"endpoints"`
	Exclude    []string            `yaml:"exclude"`
	Identities identityList        `yaml:"identities"`
	Policy     map[string][]string `yaml:"policy"`
	// Flows name the account lifecycle requests (logout, refresh,
	// password change and reset) where paths do not say it.
	Flows probe.Flows `yaml:"flows"`
	// Bodies are request bodies for writes per "METHOD /path".
	Bodies map[string]any `yaml:"bodies"`
	JWT    struct {
		Secret  string `yaml:"secret"`
		KeyFile string `yaml:"key_file"`
	} `yaml:"jwt"`
	// Code configures source analysis (authprobe code, scan --source).
	Code struct {
		// Exclude are path globs left out of the analysis.
		Exclude []string `yaml:"exclude"`
		// IncludeTests analyses test code too.
		IncludeTests bool `yaml:"include_tests"`
		// IncludeVendored analyses vendored third-party trees too.
		IncludeVendored bool `yaml:"include_vendored"`
	} `yaml:"code"`

	// Deprecations say which keys of the file are read the old way.
	Deprecations []string `yaml:"-"`

	// dir is the config file's directory: relative paths resolve from it.
	dir string
}

// identityConfig is one entry under identities.
type identityConfig struct {
	Bearer string `yaml:"bearer"`
	// Headers are plain request headers, not credentials; a header named
	// like a credential (X-API-Key, Authorization) is still taken as one,
	// with a deprecation message: write it under api_key:.
	Headers map[string]string `yaml:"headers"`
	// APIKey is a key credential: {header: X-API-Key, value: ...} (or
	// query: / cookie: instead of header:).
	APIKey  *apiKeyConfig     `yaml:"api_key"`
	Query   map[string]string `yaml:"query"`
	Cookies map[string]string `yaml:"cookies"`
	Role    string            `yaml:"role"`
	// Throwaway: authprobe may lock, change, reset, log out or delete this
	// account; others are never changed.
	Throwaway bool `yaml:"throwaway"`
	Login     *struct {
		Method  string            `yaml:"method"`
		URL     string            `yaml:"url"`
		JSON    map[string]any    `yaml:"json"`
		Form    map[string]string `yaml:"form"`
		Headers map[string]string `yaml:"headers"`
		Token   string            `yaml:"token"`
		Use     string            `yaml:"use"`
		// UserField and PasswordField are dot paths into the body.
		UserField     string `yaml:"user_field"`
		PasswordField string `yaml:"password_field"`
	} `yaml:"login"`
}

// identityList keeps the file's order: the first identity is the primary.
type identityList []*identity.Identity

func (l *identityList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: identities must be a mapping of name to credentials", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := n.Content[i].Value
		var ic identityConfig
		if err := decodeStrict(n.Content[i+1], &ic); err != nil {
			return fmt.Errorf("identity %s: %w", name, err)
		}
		creds, err := ic.creds()
		if err != nil {
			return fmt.Errorf("identity %s: %w", name, err)
		}
		id := &identity.Identity{Name: name, Role: ic.Role, Throwaway: ic.Throwaway, Base: creds}
		if ic.Login != nil {
			if ic.Login.URL == "" {
				return fmt.Errorf("identity %s: login needs a url", name)
			}
			if _, err := identity.ParseUse(ic.Login.Use); err != nil {
				return fmt.Errorf("identity %s: login: %w", name, err)
			}
			for _, f := range []string{ic.Login.UserField, ic.Login.PasswordField} {
				if f == "" {
					continue
				}
				_, inJSON := identity.Body(ic.Login.JSON).Lookup(f)
				if _, inForm := ic.Login.Form[f]; !inJSON && !inForm {
					return fmt.Errorf("identity %s: login: field %q is not in the login body", name, f)
				}
			}
			if ic.Login.Use != "" && ic.Login.Token == "" {
				return fmt.Errorf("identity %s: login: use %q needs token: (the dot path of the token in the login response)", name, ic.Login.Use)
			}
			id.Login = &identity.Login{Method: ic.Login.Method, URL: ic.Login.URL, JSON: ic.Login.JSON,
				Form: ic.Login.Form, Header: ic.Login.Headers, Token: ic.Login.Token, Use: ic.Login.Use,
				UserField: ic.Login.UserField, PasswordField: ic.Login.PasswordField}
		} else if id.Base.Empty() {
			return fmt.Errorf("identity %s: no credential (bearer, headers, query, cookies or login)", name)
		}
		*l = append(*l, id)
	}
	return nil
}

// decodeStrict decodes a node, refusing unknown fields (typos in a security
// tool's config must not pass silently).
func decodeStrict(n *yaml.Node, v any) error {
	data, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// LoadConfig reads a config file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.dir = filepath.Dir(path)
	c.Deprecations = deprecations(data)
	return &c, nil
}

// path resolves a path given in the config relative to the config file.
func (c *Config) path(p string) string {
	if p == "" || filepath.IsAbs(p) || c.dir == "" || isURL(p) {
		return p
	}
	return filepath.Join(c.dir, p)
}
