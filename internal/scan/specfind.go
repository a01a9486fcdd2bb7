package scan

import (
	"context"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/inventory"
)

// specPaths are where frameworks serve their OpenAPI document by default:
// FastAPI, flask-smorest and most others (openapi.json), Swagger 2.0
// generators (swagger.json), flasgger (apispec_1.json), Spring (v3/api-docs).
var specPaths = []string{"openapi.json", "swagger.json", "openapi.yaml", "apispec_1.json", "v3/api-docs"}

// findSpec looks for the OpenAPI document the target serves, for a --source
// whose code holds no Flask routes (a FastAPI app, say). Each candidate is
// one GET, under the target's path first and then at the host's root; the
// first that parses as a spec with at least one path wins. It returns the
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
	return nil, ""
}
