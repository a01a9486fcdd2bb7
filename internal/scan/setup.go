package scan

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// setup is what every caller's scan starts from: the target, identities
// that can be sent, the checks selected and the one client, whose
// redactor knows every identity's secrets. scan and retest build it the
// same way, so neither accepts what the other refuses.
type setup struct {
	target *url.URL
	ids    []*identity.Identity
	checks []probe.Check
	client *httpx.Client
}

// newSetup validates cfg and builds the client. selecting: the checks are
// selected (a scan); a retest replays findings and runs none.
func newSetup(cfg Config, selecting bool) (*setup, error) {
	target, err := parseTarget(cfg.Target)
	if err != nil {
		return nil, usage(err)
	}
	for _, id := range cfg.Identities {
		// Before the first request: an identity that can never be sent
		// would fail inside the client and leave nothing tested.
		if err := id.Validate(target); err != nil {
			return nil, usage(err)
		}
	}
	st := &setup{target: target, ids: cfg.Identities}
	concurrency := 1
	if selecting {
		if st.checks, err = engine.Select(engine.Registry(), cfg.Checks, cfg.Skip); err != nil {
			return nil, usage(err)
		}
		concurrency = cfg.Concurrency
	}
	st.client, err = httpx.New(httpx.Options{
		Timeout: cfg.Timeout, Rate: cfg.Rate, Concurrency: concurrency,
		Scope: []string{target.Host}, Retries: 2, Hosts: cfg.Hosts,
		Deny: denied(target, cfg.Exclude),
	})
	if err != nil {
		return nil, usage(err)
	}
	st.client.Redactor.Show = cfg.ShowSecrets
	for _, id := range st.ids {
		st.client.Redactor.Public(id.Name)
	}
	for _, id := range st.ids {
		st.client.Redactor.Places(id.Base.PlaceNames()...)
		if id.Login != nil {
			if p, err := identity.ParseUse(id.Login.Use); err == nil {
				st.client.Redactor.Places(p.Name)
			}
		}
		st.client.Redactor.Add(id.Base.Secrets()...)
	}
	return st, nil
}

// parseTarget parses the scan's base URL.
func parseTarget(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("no target: give a URL or target: in the config")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("target %q is not an http(s) URL", raw)
	}
	if !identity.ValidPort(u.Host) {
		return nil, fmt.Errorf("target %q: the port is not between 1 and 65535", raw)
	}
	return u, nil
}
