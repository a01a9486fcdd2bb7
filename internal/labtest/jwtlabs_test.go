package labtest

import (
	"net/http"
	"testing"
	"time"
)

// jwtAttacks are the token variants every route of the JWT labs is tried with.
func jwtAttacks(t *testing.T, valid string) map[string]map[string]string {
	f := split(t, valid)
	return map[string]map[string]string{
		"valid":                         bearer(valid),
		"no credential":                 nil,
		"garbage":                       bearer("garbage.token.value"),
		"wrong key":                     bearer(f.resigned(t, "not-the-secret")),
		"changed payload, original sig": bearer(f.tampered(t, "sub", "mallory")),
		"random signature":              bearer(f.randomSig()),
		"empty signature":               bearer(f.stripped()),
		"alg none":                      bearer(f.none("none")),
		"alg nOnE":                      bearer(f.none("nOnE")),
		"signed with an empty HMAC key": bearer(f.resigned(t, "")),
	}
}

func only(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

func TestJWTLabGroundTruth(t *testing.T) {
	t.Parallel()
	lab := StartDefaults(t, "jwt")
	alice := loginAs(t, lab, "alice")
	cases := jwtAttacks(t, alice)
	allForged := only("valid", "wrong key", "changed payload, original sig", "random signature",
		"empty signature", "alg none", "alg nOnE", "signed with an empty HMAC key")
	routes := map[string]map[string]bool{
		"/api/me":      only("valid"),
		"/api/notes":   only("valid"),
		"/api/feed":    only("valid"),
		"/api/reports": allForged,                                      // verify_signature False
		"/api/profile": only("valid", "random signature"),              // cache keyed by header.payload
		"/api/export":  only("valid", "empty signature"),               // MAC skipped when empty
		"/api/notes/1": only("valid", "alg none", "alg nOnE"),          // alg.lower() == "none"
		"/api/tags":    only("valid", "signed with an empty HMAC key"), // OLD_JWT_SECRET ""
	}
	for path, want := range routes {
		expectAccess(t, lab.URL+path, cases, want)
	}
	if st, _ := call(t, lab.URL+"/api/feed?access_token="+alice, nil); st != http.StatusOK {
		t.Errorf("/api/feed?access_token=: status %d, want the query token accepted", st)
	}
	if st, _ := call(t, lab.URL+"/api/me?access_token="+alice, nil); st == http.StatusOK {
		t.Errorf("/api/me?access_token=: accepted, only /api/feed reads the query")
	}
	if st, _ := call(t, lab.URL+"/health", nil); st != http.StatusOK {
		t.Errorf("/health: status %d", st)
	}
	if st, _ := call(t, lab.URL+"/api/notes/3", bearer(alice)); st != http.StatusNotFound {
		t.Errorf("alice reading bob's note: status %d, want 404 (owner check)", st)
	}
	hygiene(t, lab)
	expectLoginThrottle(t, lab.URL+"/api/login", true)
}

// hygiene checks the issued tokens: alice's is clean, bob's has no exp and a
// password hash, carol's lives 30 days.
func hygiene(t *testing.T, lab *Lab) {
	a := split(t, loginAs(t, lab, "alice")).claims(t)
	if life := a["exp"].(float64) - a["iat"].(float64); life != 900 {
		t.Errorf("alice's token lives %vs, want 900", life)
	}
	b := split(t, loginAs(t, lab, "bob")).claims(t)
	if _, ok := b["exp"]; ok {
		t.Errorf("bob's token has an exp: %v", b)
	}
	if h, _ := b["password_hash"].(string); len(h) < 20 {
		t.Errorf("bob's token carries no password hash: %v", b)
	}
	c := split(t, loginAs(t, lab, "carol")).claims(t)
	if life := time.Duration(c["exp"].(float64)-c["iat"].(float64)) * time.Second; life <= 24*time.Hour {
		t.Errorf("carol's token lives %s, want over 24h", life)
	}
}

func TestJWTSecureGroundTruth(t *testing.T) {
	t.Parallel()
	lab := StartDefaults(t, "jwt-secure")
	alice := loginAs(t, lab, "alice")
	cases := jwtAttacks(t, alice)
	for _, path := range []string{"/api/me", "/api/notes", "/api/notes/summary", "/api/notes/1",
		"/api/reports", "/api/profile", "/api/export", "/api/tags", "/api/feed"} {
		expectAccess(t, lab.URL+path, cases, only("valid"))
		if st, body := call(t, lab.URL+path+"?access_token="+alice, nil); accepted(st, body) {
			t.Errorf("%s?access_token=: accepted", path)
		}
	}
	if st, body := call(t, lab.URL+"/api/notes/summary", bearer("garbage")); st != http.StatusOK || accepted(st, body) {
		t.Errorf("/api/notes/summary with a bad token: %d %s, want 200 with ok:false", st, body)
	}
	for _, public := range []string{"/health", "/docs"} {
		if st, _ := call(t, lab.URL+public, nil); st != http.StatusOK {
			t.Errorf("%s: status %d", public, st)
		}
	}
	for _, id := range []string{"alice", "bob", "carol"} {
		c := split(t, loginAs(t, lab, id)).claims(t)
		exp, ok := c["exp"].(float64)
		if !ok || exp-c["iat"].(float64) > 24*3600 {
			t.Errorf("%s's token: %v, want exp within 24h", id, c)
		}
	}
	expectRouteThrottle(t, lab.URL+"/api/me", bearer("garbage"), bearer(alice))
	expectLoginThrottle(t, lab.URL+"/api/login", true)
}
