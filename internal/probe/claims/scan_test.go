package claims_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/engine"
	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/jose"
)

// secret is weak only through a mutation rule (a word plus a year): not a
// known default, so the finding carries CWE-521 alone.
const secret = "changeme2024"

// walletAPI is a Go service unlike the labs: the token travels in a custom
// header, refusals are 403 with a text body, and a route answers 200 with
// an error flag for non-admins.
type walletAPI struct{}

func (walletAPI) claims(r *http.Request, checkExp bool) (map[string]any, bool) {
	tok, err := jose.Parse(r.Header.Get("X-Auth-Token"))
	if err != nil || tok.Alg() != "HS256" || jose.Verify(tok, []byte(secret)) != nil {
		return nil, false
	}
	now := time.Now()
	exp, ok := jose.NumericDate(tok.Claims["exp"])
	if !ok || (checkExp && exp.Before(now)) {
		return nil, false
	}
	for _, c := range []string{"nbf", "iat"} {
		if at, ok := jose.NumericDate(tok.Claims[c]); ok && at.After(now.Add(time.Minute)) {
			return nil, false
		}
	}
	return tok.Claims, true
}

func (a walletAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, ok := a.claims(r, r.URL.Path != "/history")
	if !ok {
		http.Error(w, "access denied", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	body := map[string]any{"user": c["uid"], "balance": 12}
	if r.URL.Path == "/staff" {
		body = map[string]any{"ok": false, "error": "staff only"}
		if c["is_staff"] == true {
			body = map[string]any{"ok": true, "users": []any{map[string]any{"uid": "u1", "email": "a@example.com"}}}
		}
	}
	_ = json.NewEncoder(w).Encode(body)
}

// TestClaimsOnAnotherStack: the weak secret is recovered through a rule,
// proven once (not once per identity), and unlocks exactly the
// expired-token, privilege and impersonation findings where they are.
func TestClaimsOnAnotherStack(t *testing.T) {
	srv := httptest.NewServer(walletAPI{})
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	s, _ := jose.HMAC("HS256", []byte(secret))
	now := time.Now().Unix()
	sign := func(uid string) string {
		payload, _ := json.Marshal(map[string]any{"uid": uid, "is_staff": false, "iat": now, "exp": now + 600})
		tok, err := jose.Sign([]byte(`{"typ":"JWT"}`), payload, s)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	inv := &inventory.Inventory{}
	for _, line := range []string{"GET /me", "GET /history", "GET /staff"} {
		ep, _ := inventory.ParseEndpoint(line)
		inv.Add(ep)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	out, err := engine.Run(ctx, engine.Options{Target: u, Client: client, Inventory: inv, Checks: engine.Registry(),
		Identities: []*identity.Identity{
			{Name: "app", Base: identity.Creds{Headers: map[string]string{"X-Auth-Token": sign("u-42")}}},
			{Name: "other", Base: identity.Creds{Headers: map[string]string{"X-Auth-Token": sign("u-77")}}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range out.Findings {
		for _, in := range f.Places() {
			where := "identity " + in.Identity
			if in.Endpoint != nil {
				where = in.Endpoint.Path
			}
			got = append(got, f.Rule+" "+where)
		}
		if f.Rule == "jwt.weak-secret" {
			// One chain: the recovered secret (the cause) and the
			// privileges it forges (the consequence).
			if strings.Join(f.CWE, ",") != "CWE-521,CWE-269" || f.Confidence != finding.Confirmed || f.Endpoint != nil {
				t.Errorf("weak secret: %v %s", f.CWE, f.Confidence)
			}
			if strings.Contains(f.Message, secret) {
				t.Errorf("the secret is printed without --show-secrets: %s", f.Message)
			}
		}
	}
	sort.Strings(got)
	// Impersonation lands on the first endpoint (in inventory order) where
	// the two identities see different data; the second identity's token
	// shares the secret and is not reported again. The forged privileges
	// are places of the weak secret's finding, not findings of their own.
	want := []string{"jwt.expired-accepted /history", "jwt.weak-secret /history", "jwt.weak-secret /staff", "jwt.weak-secret identity app"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("findings:\n got %q\nwant %q\nnotes %q", got, want, out.Notes)
	}
}
