//go:build cgo

package static

import (
	"context"
	"encoding/json"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// TestFastAPIGates: the gates of testdata/fastapigates, one shape each (a
// scheme handed to a view, Annotated[..., Depends(...)], a decorator's
// dependencies=, a router's, an include_router's, a dependency of a
// dependency met before the inner one is met alone, a Header parameter the
// view refuses on, APIKeyQuery and APIKeyCookie handed to a view), and its
// public twins (a dependency that never refuses, query parameters that
// are data, a cookie read and echoed): policy, kind, and where each gate
// reads its credential. The routes with a security requirement in the
// real FastAPI's OpenAPI document must all be gated here (but the one
// whose scheme never refuses).
func TestFastAPIGates(t *testing.T) {
	const dir = "testdata/fastapigates"
	proj, _, err := Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"DELETE /admin/users/{user_id}": "api-key api-key",
		"GET /account":                  "jwt jwt",
		"GET /by-cookie":                "api-key api-key",
		"GET /by-query":                 "api-key api-key",
		"GET /internal/metrics":         "login basic",
		"GET /legacy":                   "api-key api-key",
		"GET /me":                       "jwt jwt",
		"GET /service/stats":            "api-key api-key",
		"GET /public/items":             "public",
		"GET /public/optional":          "public",
		"GET /public/session":           "public",
	}
	have := map[string]string{}
	for _, r := range proj.Routes {
		got := r.Policy
		for _, a := range r.Auth {
			got += " " + a.Kind
			if len(a.Lines) == 0 {
				t.Errorf("%s %s: gate %s carries no source lines", r.Methods[0], r.Path, a.Name)
			}
		}
		have[r.Methods[0]+" "+r.Path] = got
	}
	for k, w := range want {
		if have[k] != w {
			t.Errorf("%s: policy and gates %q, want %q", k, have[k], w)
		}
	}
	if len(have) != len(want) {
		t.Errorf("routes %v, want %d", have, len(want))
	}
	var reads []string
	for _, r := range proj.CredentialReads() {
		reads = append(reads, r.In+":"+r.Name)
	}
	sort.Strings(reads)
	if got, w := strings.Join(reads, " "), "basic: bearer: cookie:sid header:X-Admin-Key header:X-Service-Key header:x-legacy-token query:api_key"; got != w {
		t.Errorf("credential reads %q, want %q", got, w)
	}
	if testing.Short() {
		return
	}
	cmd := exec.Command("/usr/bin/python3", "-B", "-c", `
import json, sys
sys.path.insert(0, ".")
import main
doc = main.app.openapi()
out = {}
for path, ops in doc["paths"].items():
    for meth, op in ops.items():
        out[meth.upper() + " " + path] = bool(op.get("security"))
print(json.dumps(out))
`)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("importing %s/main.py with /usr/bin/python3 (make deps installs python3-fastapi): %v", dir, err)
	}
	var secured map[string]bool
	if err := json.Unmarshal(out, &secured); err != nil {
		t.Fatal(err)
	}
	if len(secured) != len(want) {
		t.Errorf("FastAPI's operations %v, want the %d of routes.txt", secured, len(want))
	}
	for op, sec := range secured {
		if _, ok := have[op]; !ok {
			t.Errorf("FastAPI serves %s, the analysis does not place it", op)
		}
		// /public/optional's scheme has auto_error=False and its
		// dependency never refuses: FastAPI documents the scheme, yet
		// lets every request through.
		if sec && strings.HasPrefix(have[op], "public") && op != "GET /public/optional" {
			t.Errorf("%s: FastAPI lists a security requirement, the analysis calls it public", op)
		}
	}
}

// TestFastAPITemplateGates: the layout of FastAPI's project template
// (layouts/fastapitemplate): a dependency named by a type alias
// (CurrentUser = Annotated[dict, Depends(get_current_user)]) whose own
// parameter is another alias of the bearer scheme, routers included
// under settings.API_V1_STR (a settings class's default); the health
// check stays public.
func TestFastAPITemplateGates(t *testing.T) {
	proj, _, err := Analyze(context.Background(), "testdata/layouts/fastapitemplate")
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, r := range proj.Routes {
		have = append(have, r.Methods[0]+" "+r.Path+" "+r.Policy)
	}
	sort.Strings(have)
	want := "GET /api/v1/items/ jwt; GET /api/v1/items/{id} jwt; GET /api/v1/utils/health-check/ public"
	if got := strings.Join(have, "; "); got != want {
		t.Errorf("routes %q, want %q", got, want)
	}
}
