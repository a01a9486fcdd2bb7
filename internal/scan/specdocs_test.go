package scan

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const docsSpec = `{"openapi":"3.0.2","info":{"title":"t","version":"1"},"paths":{"/secure/dog":{"get":{"responses":{"200":{"description":"ok"}}}}}}`

// TestFindSpecFromDocsPage: an app that moved its OpenAPI document off the
// default paths is still inventoried through the documentation page that
// names it, in two shapes: FastAPI's Swagger UI (`url: '...'`, the spec at
// /api/v1/openapi.json) and a ReDoc page under a mount prefix
// (`spec-url="..."`, relative). A page naming a spec on another host is
// never followed, and a target without docs still yields nothing.
func TestFindSpecFromDocsPage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, docsPath, page, specPath, target string
		want                                   bool
	}{
		{"swagger-ui", "/docs", `<script>const ui = SwaggerUIBundle({
        url: '/api/v1/openapi.json',
        "dom_id": "#swagger-ui",`, "/api/v1/openapi.json", "/", true},
		{"redoc-under-prefix", "/svc/redoc", `<redoc spec-url="spec/v2.json"></redoc>`, "/svc/spec/v2.json", "/svc", true},
		{"off-host", "/docs", `SwaggerUIBundle({url: 'http://198.51.100.7/api/v1/openapi.json'})`, "/api/v1/openapi.json", "/", false},
		{"no-docs", "/nothing-here", `url: '/api/v1/openapi.json'`, "/api/v1/openapi.json", "/", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case c.docsPath:
					w.Header().Set("Content-Type", "text/html")
					w.Write([]byte(c.page))
				case c.specPath:
					w.Header().Set("Content-Type", "application/json")
					w.Write([]byte(docsSpec))
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			target, _ := url.Parse(srv.URL + c.target)
			inv, ref := findSpec(context.Background(), target)
			if !c.want {
				if inv != nil {
					t.Fatalf("found a spec at %s, want none", ref)
				}
				return
			}
			if inv == nil || !strings.HasSuffix(ref, c.specPath) {
				t.Fatalf("spec = %v at %q, want one at %s", inv, ref, c.specPath)
			}
			if len(inv.Endpoints) != 1 || inv.Endpoints[0].Method+" "+inv.Endpoints[0].Path != "GET /secure/dog" {
				t.Errorf("endpoints = %v", inv.Endpoints)
			}
		})
	}
}
