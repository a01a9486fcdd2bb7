package scan

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/inventory"
)

// buildInventory merges the spec, the config's endpoints and --endpoint; with
// none, the target URL itself is probed, unless --source (or config source:)
// will give the routes: the target's path is then not a route to test.
func buildInventory(ctx context.Context, cfg Config, target *url.URL) (*inventory.Inventory, error) {
	inv := &inventory.Inventory{}
	if spec := cfg.Spec; spec != "" {
		loaded, err := inventory.LoadSpec(ctx, spec, specFetcher(target))
		if err != nil {
			return nil, usagef("spec: %v", err)
		}
		inv = loaded
	}
	lists := []struct {
		lines  []string
		source string
	}{{cfg.Endpoints, inventory.SourceConfig}, {cfg.EndpointFlags, inventory.SourceFlag}}
	if len(cfg.EndpointFlags) > 0 {
		lists = lists[1:] // flags override the config's list
	}
	for _, group := range lists {
		eps, err := inventory.ParseEndpoints(group.lines, group.source)
		if err != nil {
			return nil, usage(err)
		}
		inv.Add(eps...)
	}
	if len(inv.Endpoints) == 0 && cfg.Source == "" {
		path := target.EscapedPath()
		if path == "" {
			path = "/"
		}
		ep, err := inventory.ParseEndpoint("GET " + path)
		if err != nil {
			return nil, usage(err)
		}
		ep.Sources = []string{inventory.SourceFlag}
		inv.Add(ep)
	}
	return inv, nil
}

// specFetcher fetches a spec URL through a client scoped to that URL's host
// (named by the user, so in scope for this one request).
func specFetcher(target *url.URL) inventory.Fetch {
	return func(ctx context.Context, raw string) ([]byte, error) {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, err
		}
		c, err := httpx.New(httpx.Options{Scope: []string{u.Host, target.Host}, MaxBody: inventory.MaxSpecBytes})
		if err != nil {
			return nil, err
		}
		resp := c.Do(ctx, &httpx.Request{Method: "GET", URL: raw})
		if resp.Err != nil {
			return nil, resp.Err
		}
		if resp.Status != 200 {
			return nil, fmt.Errorf("GET %s: status %d", raw, resp.Status)
		}
		if resp.Truncated {
			// Never parse half a spec as if it were the API.
			return nil, usagef("spec %s is larger than %d MiB and was cut there; download it and pass the file with --spec", raw, inventory.MaxSpecBytes>>20)
		}
		return resp.Body, nil
	}
}

// specPaths are where frameworks serve their OpenAPI document by default:
// FastAPI, flask-smorest and most others (openapi.json), Swagger 2.0
// generators (swagger.json), flasgger (apispec_1.json), Spring (v3/api-docs).
var specPaths = []string{"openapi.json", "swagger.json", "openapi.yaml", "apispec_1.json", "v3/api-docs"}

// findSpec looks for the OpenAPI document the target serves, for a --source
// whose code holds no routes the analysis reads (an aiohttp app, say). Each candidate is
// one GET, under the target's path first and then at the host's root; the
// first that parses as a spec with at least one path wins; failing that, the
// spec URL the documentation pages name is followed. It returns the
// inventory and the URL, or nil when the target serves none.
func findSpec(ctx context.Context, target *url.URL) (*inventory.Inventory, string) {
	var bases []string
	if p := strings.TrimSuffix(target.EscapedPath(), "/"); p != "" {
		bases = append(bases, p+"/")
	}
	bases = append(bases, "/")
	fetch := specFetcher(target)
	for _, base := range bases {
		for _, p := range specPaths {
			if ctx.Err() != nil {
				return nil, ""
			}
			u := *target
			u.Path, u.RawPath, u.RawQuery, u.Fragment = "", "", "", ""
			ref := u.String() + base + p
			inv, err := inventory.LoadSpec(ctx, ref, fetch)
			if err != nil || len(inv.Endpoints) == 0 {
				continue // absent, not a spec, or a spec of nothing
			}
			return inv, ref
		}
	}
	// No spec where frameworks put it by default: the documentation page
	// names where the app moved it (FastAPI's openapi_url, say).
	for _, base := range bases {
		u := *target
		u.Path, u.RawPath, u.RawQuery, u.Fragment = "", "", "", ""
		if inv, ref := specFromDocs(ctx, target, u.String()+base, fetch); inv != nil {
			return inv, ref
		}
	}
	return nil, ""
}
