package engine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// scanEndpoints serves h and scans endpoints as ids with the checks
// selected by sel, returning the findings.
func scanEndpoints(t *testing.T, h http.Handler, endpoints []string, ids []*identity.Identity, sel ...string) []finding.Finding {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	for _, e := range endpoints {
		ep, err := inventory.ParseEndpoint(e)
		if err != nil {
			t.Fatal(err)
		}
		inv.Endpoints = append(inv.Endpoints, ep)
	}
	checks, err := Select(Registry(), sel, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := Run(ctx, Options{Target: u, Client: client, Inventory: inv, Identities: ids, Checks: checks, Settings: probe.Settings{}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Findings
}

func ruleOn(fs []finding.Finding, rule, ep string) *finding.Finding {
	for i, f := range fs {
		if f.Rule == rule && f.Endpoint != nil && f.Endpoint.String() == ep {
			return &fs[i]
		}
	}
	return nil
}

// userAPI is a small JSON API: POST /login {"email","password"} issues
// "tok-<email>"; GET /api/me answers the caller's record with an is_admin
// flag; GET /api/admin/accounts lists every record (to a member too
// unless secure); GET /api/keys lists every user's key to any caller
// (masked when secure). sqlLogin pastes the password into its "SQL":
// a quoted tautology logs in as the first user.
type userAPI struct {
	secure, sqlLogin bool
}

var userRows = []struct {
	email, password, key string
	admin                bool
}{
	{"boss@example.com", "boss-pw-77", "k-boss-5e1f9a0c3d", true},
	{"member@example.com", "member-pw-42", "k-member-8b2c6e4a1f", false},
}

func (a userAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/login" && r.Method == http.MethodPost {
		var b map[string]string
		_ = json.NewDecoder(r.Body).Decode(&b)
		for _, u := range userRows {
			if b["email"] == u.email && b["password"] == u.password ||
				a.sqlLogin && !a.secure && strings.Contains(b["password"], `' OR '1'='1`) {
				json.NewEncoder(w).Encode(map[string]string{"token": "tok-" + u.email})
				return
			}
		}
		http.Error(w, `{"error":"bad credentials"}`, http.StatusUnauthorized)
		return
	}
	var me *struct {
		email, password, key string
		admin                bool
	}
	for i, u := range userRows {
		if r.Header.Get("Authorization") == "Bearer tok-"+u.email {
			me = &userRows[i]
		}
	}
	if me == nil {
		http.Error(w, `{"error":"login required"}`, http.StatusUnauthorized)
		return
	}
	var out []map[string]any
	for _, u := range userRows {
		out = append(out, map[string]any{"email": u.email, "is_admin": u.admin})
	}
	switch r.URL.Path {
	case "/api/me":
		json.NewEncoder(w).Encode(map[string]any{"email": me.email, "is_admin": me.admin})
	case "/api/admin/accounts":
		if a.secure && !me.admin {
			http.Error(w, `{"error":"admins only"}`, http.StatusForbidden)
			return
		}
		json.NewEncoder(w).Encode(out)
	case "/api/keys":
		var rows [][]string
		for _, u := range userRows {
			k := u.key
			if a.secure {
				k = k[:4] + "****"
			}
			rows = append(rows, []string{u.email, k})
		}
		json.NewEncoder(w).Encode(map[string]any{"rows": rows})
	default:
		http.NotFound(w, r)
	}
}

func userIDs() []*identity.Identity {
	var ids []*identity.Identity
	for _, u := range userRows {
		name := strings.Split(u.email, "@")[0]
		ids = append(ids, &identity.Identity{Name: name, Login: &identity.Login{Method: "POST", URL: "/login",
			JSON: identity.Body{"email": u.email, "password": u.password}, Token: "token"}})
	}
	return ids
}

// TestObservedRolesBFLA: with no role in the config, the API's own
// records (is_admin true for boss, false for member) make boss the
// reference, so member served the admin listing is BFLA; the twin that
// refuses member holds. The bool-flag shape of smartshop's role strings.
func TestObservedRolesBFLA(t *testing.T) {
	eps := []string{"GET /api/me", "GET /api/admin/accounts"}
	fs := scanEndpoints(t, userAPI{}, eps, userIDs(), "authz.bfla")
	if f := ruleOn(fs, "authz.bfla", "GET /api/admin/accounts"); f == nil || f.Identity != "member" {
		t.Fatalf("no BFLA for member on the admin listing: %+v", fs)
	}
	if fs := scanEndpoints(t, userAPI{secure: true}, eps, userIDs(), "authz.bfla"); len(fs) != 0 {
		t.Fatalf("secure twin: %+v", fs)
	}
}

// TestAnyPasswordJSONInjection: a JSON login (the e-mail shape; the
// corpus had form and HTTP Basic ones) that pastes the password into its
// SQL logs a made-up user in with a quoted tautology; the twin holds.
func TestAnyPasswordJSONInjection(t *testing.T) {
	eps := []string{"GET /api/me"}
	fs := scanEndpoints(t, userAPI{sqlLogin: true}, eps, userIDs(), "account.login-accepts-any-password")
	if f := ruleOn(fs, "account.login-accepts-any-password", "POST /login"); f == nil || !strings.Contains(f.Message, "SQL") {
		t.Fatalf("no any-password finding on POST /login: %+v", fs)
	}
	if fs := scanEndpoints(t, userAPI{sqlLogin: true, secure: true}, eps, userIDs(), "account.login-accepts-any-password"); len(fs) != 0 {
		t.Fatalf("secure twin: %+v", fs)
	}
}

// TestOthersKeyInRows: another identity's key in a row of an array under
// no telling name is a leak to the caller; masked keys hold. The secret
// is never printed.
func TestOthersKeyInRows(t *testing.T) {
	ids := []*identity.Identity{
		{Name: "boss", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": userRows[0].key}}},
		{Name: "member", Base: identity.Creds{Headers: map[string]string{"X-Api-Key": userRows[1].key}}},
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, u := range userRows {
			if r.Header.Get("X-Api-Key") == u.key {
				r.Header.Set("Authorization", "Bearer tok-"+u.email)
			}
		}
		userAPI{}.ServeHTTP(w, r)
	})
	twin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, u := range userRows {
			if r.Header.Get("X-Api-Key") == u.key {
				r.Header.Set("Authorization", "Bearer tok-"+u.email)
			}
		}
		userAPI{secure: true}.ServeHTTP(w, r)
	})
	fs := scanEndpoints(t, h, []string{"GET /api/keys"}, ids, "leak.others-credentials")
	f := ruleOn(fs, "leak.credential-in-response", "GET /api/keys")
	if f == nil {
		t.Fatalf("no leak of another identity's key: %+v", fs)
	}
	b, _ := json.Marshal(f)
	for _, u := range userRows {
		if strings.Contains(string(b), u.key) {
			t.Errorf("the finding prints a key: %s", b)
		}
	}
	if fs := scanEndpoints(t, twin, []string{"GET /api/keys"}, ids, "leak.others-credentials"); len(fs) != 0 {
		t.Fatalf("masked keys: %+v", fs)
	}
}
