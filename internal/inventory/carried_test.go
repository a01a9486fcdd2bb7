package inventory

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestCarried: header and cookie parameters a spec declares are kept apart
// from the ones the URL carries, with their enumerated values.
func TestCarried(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /admin/stats:
    parameters:
      - {name: X-Tenant, in: header, schema: {type: string}}
    get:
      parameters:
        - {name: X-Role, in: header, schema: {type: string, enum: [admin, staff]}}
        - {name: user, in: cookie, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
      responses: {"200": {description: ok}}
`
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	inv, err := LoadSpec(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ep := inv.Endpoints[0]
	if len(ep.Carried) != 3 || ep.Carried[0].Name != "X-Role" || len(ep.Carried[0].Enum) != 2 ||
		ep.Carried[1].In != "cookie" || ep.Carried[2].Name != "X-Tenant" {
		t.Errorf("carried: %+v", ep.Carried)
	}
	for _, p := range ep.Params {
		if p.In == "header" || p.In == "cookie" {
			t.Errorf("a %s parameter in the URL's: %+v", p.In, p)
		}
	}
}
