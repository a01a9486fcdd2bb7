package fix

import (
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
)

// TestSamePlace: a rescan finding is the same weakness only at one of the
// finding's endpoints; the identity that proved both does not join them.
func TestSamePlace(t *testing.T) {
	put := finding.Finding{Rule: "authz.bola-write", Identity: "bob", Endpoint: &finding.Endpoint{Method: "PUT", Path: "/notes/{id}"}}
	patch := finding.Finding{Rule: "authz.bola-write", Identity: "bob", Endpoint: &finding.Endpoint{Method: "PATCH", Path: "/notes/{id}"}}
	if samePlace(put, patch) {
		t.Error("PUT and PATCH joined by their identity")
	}
	again := patch
	again.Instances = []finding.Instance{{Endpoint: put.Endpoint}}
	if !samePlace(put, again) {
		t.Error("an instance at the same endpoint is not the same place")
	}
	hyg := finding.Finding{Rule: "jwt.no-expiry", Identity: "alice"}
	if !samePlace(hyg, finding.Finding{Rule: "jwt.no-expiry", Identity: "alice"}) {
		t.Error("token hygiene of one identity is not the same place")
	}
}

// TestThrottleSeen: a throttling finding counts as closed only when the
// rescan's brute-force series met throttling at its endpoint.
func TestThrottleSeen(t *testing.T) {
	x := finding.Finding{Rule: "apikey.no-bruteforce-protection", Endpoint: &finding.Endpoint{Method: "POST", Path: "/login"}}
	res := &report.Result{Warnings: []string{"GET /other: API keys in header X-Key are throttled: 429 Too Many Requests after 11 failed attempts"}}
	if rescanBlind(res, x, false, false) == "" {
		t.Error("throttling seen elsewhere proves this endpoint")
	}
	res.Warnings = append(res.Warnings, "POST /login: wrong passwords for alice are throttled: 429 Too Many Requests after 11 failed attempts")
	if why := rescanBlind(res, x, false, false); why != "" {
		t.Errorf("throttling seen at the endpoint: %s", why)
	}
}

// TestAtLogin: login enumeration at an identity's login (its path filling
// the finding's template) is rescanned without --allow-writes; at another
// POST (a reset request) it still needs it.
func TestAtLogin(t *testing.T) {
	sc := scan.Config{Identities: []*identity.Identity{{Name: "ann", Login: &identity.Login{Method: "POST", URL: "/shop/v1/4711/login"}}}}
	login := finding.Finding{Rule: "account.user-enumeration", Endpoint: &finding.Endpoint{Method: "POST", Path: "/shop/v1/{user_id}/login"}}
	reset := finding.Finding{Rule: "account.user-enumeration", Endpoint: &finding.Endpoint{Method: "POST", Path: "/api/password/forgot"}}
	if !atLogin(sc, login) || atLogin(sc, reset) {
		t.Fatalf("atLogin: login %v, reset %v", atLogin(sc, login), atLogin(sc, reset))
	}
	res := &report.Result{}
	if why := rescanBlind(res, login, false, true); why != "" {
		t.Errorf("login enumeration blind without --allow-writes: %s", why)
	}
	if rescanBlind(res, reset, false, false) == "" {
		t.Error("reset-request enumeration rescanned without --allow-writes")
	}
}
