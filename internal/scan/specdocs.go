package scan

import (
	"context"
	"net/url"
	"regexp"

	"github.com/authprobe/authprobe/internal/inventory"
)

// docsPaths are where frameworks serve the page that shows their API
// documentation: FastAPI (docs, redoc), flasgger (apidocs/), flask-restx and
// Swagger UI set-ups (swagger-ui/, swagger/, api/docs). The page names the
// URL of the OpenAPI document it renders, wherever the app moved it
// (FastAPI's openapi_url="/api/v1/openapi.json", say).
var docsPaths = []string{"docs", "redoc", "apidocs/", "swagger-ui/", "swagger/", "api/docs"}

// docsSpecRef matches the spec URL a documentation page hands to its
// renderer: Swagger UI's `url: '/openapi.json'` (and flasgger's JSON
// `"url": "/apispec_1.json"`), ReDoc's `spec-url="/openapi.json"`.
var docsSpecRef = regexp.MustCompile(`["']?\b(?:url|spec-url|specUrl)["']?\s*[:=]\s*["']([^"'\s<>]+)["']`)

// maxDocsRefs bounds the spec candidates read from one page (each is a GET).
const maxDocsRefs = 4

// specFromDocs reads the documentation pages under base and follows the spec
// URLs they name, on the target's host only. It returns the first that parses
// as a spec with at least one path, with its URL, or nil.
func specFromDocs(ctx context.Context, target *url.URL, root string, fetch inventory.Fetch) (*inventory.Inventory, string) {
	tried := map[string]bool{}
	for _, p := range docsPaths {
		if ctx.Err() != nil {
			return nil, ""
		}
		page := root + p
		body, err := fetch(ctx, page)
		if err != nil {
			continue
		}
		for _, ref := range docsSpecRefs(body, page, target.Host) {
			if tried[ref] {
				continue
			}
			tried[ref] = true
			inv, err := inventory.LoadSpec(ctx, ref, fetch)
			if err == nil && len(inv.Endpoints) > 0 {
				return inv, ref
			}
		}
	}
	return nil, ""
}

// docsSpecRefs are the spec URLs a documentation page names, resolved
// against the page's URL and kept only when they stay on host.
func docsSpecRefs(body []byte, page, host string) []string {
	base, err := url.Parse(page)
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range docsSpecRef.FindAllSubmatch(body, -1) {
		ref, err := base.Parse(string(m[1]))
		if err != nil || ref.Host != host || (ref.Scheme != "http" && ref.Scheme != "https") {
			continue
		}
		ref.Fragment = ""
		out = append(out, ref.String())
		if len(out) == maxDocsRefs {
			break
		}
	}
	return out
}
