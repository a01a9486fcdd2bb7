package engine

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// auditAPI is a bearer-token API whose gate refuses with status refusal
// and {"success": false, "error": ...}. GET /api/ledger serves each
// token's own ledger; GET /api/audit serves whoever sends X-Role: auditor
// (trusting is true) or only the auditor token (false); every other
// X-Role value is refused by the same gate. GET /api/export answers a
// validation 404 {"detail": "unknown format"} to anyone without X-Format:
// csv, and the export to anyone with it: a parameter, not a caller.
type auditAPI struct {
	refusal  int
	trusting bool
}

func (a *auditAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/api/export" {
		if r.Header.Get("X-Format") != "csv" {
			w.WriteHeader(404)
			w.Write([]byte(`{"detail": "unknown format"}`))
			return
		}
		w.Write([]byte(`{"rows": 12, "format": "csv"}`))
		return
	}
	user := map[string]string{"Bearer tok-ana-51c0f9e2d7b3a846": "ana", "Bearer tok-ben-0e6d2a91f4c7b538": "ben"}[r.Header.Get("Authorization")]
	refuse := func(why string) {
		w.WriteHeader(a.refusal)
		w.Write([]byte(`{"success": false, "error": "` + why + `"}`))
	}
	switch r.URL.Path {
	case "/api/ledger":
		if user == "" {
			refuse("login required")
			return
		}
		w.Write([]byte(`{"owner": "` + user + `", "balance": ` + map[string]string{"ana": "120", "ben": "75"}[user] + `}`))
	case "/api/audit":
		if a.trusting && r.Header.Get("X-Role") == "auditor" {
			w.Write([]byte(`{"accounts": 2, "total": 195}`))
			return
		}
		refuse("auditors only")
	default:
		w.WriteHeader(404)
	}
}

// TestClientRoleInEveryRefusalStyle: a role header the spec enumerates
// (X-Role: [auditor]) that opens what every caller is refused is proven
// whatever status the gate refuses with — 401, a 200 envelope, 404, 422,
// 500 — through the refusal the ledger's calibration learnt; the twin that
// ignores the header yields nothing in any style, and a validation 404 of
// another header's value (X-Format: [csv], served to anyone who sends it,
// anonymous included) is never taken for the gate's refusal.
func TestClientRoleInEveryRefusalStyle(t *testing.T) {
	t.Parallel()
	ids := []*identity.Identity{
		{Name: "ana", Base: identity.Creds{Bearer: "tok-ana-51c0f9e2d7b3a846"}},
		{Name: "ben", Base: identity.Creds{Bearer: "tok-ben-0e6d2a91f4c7b538"}},
	}
	for _, status := range []int{401, 200, 404, 422, 500} {
		for _, trusting := range []bool{true, false} {
			u, client, inv := serveFixture(t, &auditAPI{refusal: status, trusting: trusting}, httpx.Options{Timeout: 2 * time.Second},
				"GET /api/ledger", "GET /api/audit", "GET /api/export")
			inv.Endpoints[1].Carried = []inventory.Carried{{Name: "X-Role", In: "header", Enum: []string{"auditor"}}}
			inv.Endpoints[2].Carried = []inventory.Carried{{Name: "X-Format", In: "header", Enum: []string{"csv"}}}
			checks, err := Select(Registry(), []string{"authn.client-controlled-identity"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			out := runComplete(t, Options{Target: u, Client: client, Inventory: inv, Checks: checks, Identities: ids})
			var got []string
			for _, f := range out.Findings {
				for _, in := range f.Places() {
					got = append(got, f.Rule+" "+in.Endpoint.String())
				}
			}
			want := ""
			if trusting {
				want = "authn.client-controlled-identity GET /api/audit"
			}
			if strings.Join(got, "|") != want {
				t.Errorf("refusing with %d, trusting X-Role %v: findings %q, want %q; notes %q", status, trusting, got, want, out.Notes)
			}
		}
	}
}
