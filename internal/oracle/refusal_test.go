package oracle

import (
	"net/http"
	"testing"
)

// TestRefusalStyles: every way an API says no is a refusal to the one
// oracle, and the answers that serve data are not: a 200 error envelope,
// a redirect to sign in, 401/403, a 4xx with an error body. A server error
// alone is never a refusal; calibrated, a consistent one is.
func TestRefusalStyles(t *testing.T) {
	t.Parallel()
	loc := func(to string) http.Header { h := http.Header{}; h.Set("Location", to); return h }
	cases := []struct {
		name    string
		s       *Sample
		refusal bool
		served  bool
	}{
		{"200 success false", NewSample(200, nil, []byte(`{"success": false, "error": "Invalid API token."}`), nil), true, false},
		{"200 status error", NewSample(200, nil, []byte(`{"status": "error", "message": "denied"}`), nil), true, false},
		{"200 error only", NewSample(200, nil, []byte(`{"error": "not allowed"}`), nil), true, false},
		{"200 data with null error", NewSample(200, nil, []byte(`{"error": null, "items": [1, 2]}`), nil), false, true},
		{"200 data", NewSample(200, nil, []byte(`{"success": true, "customer": {"id": 7}}`), nil), false, true},
		{"200 data with message", NewSample(200, nil, []byte(`{"error": "x", "balance": 10}`), nil), false, true},
		{"302 to login", NewSample(302, loc("/login?next=/x"), nil, nil), true, false},
		{"302 elsewhere", NewSample(302, loc("/dashboard"), nil, nil), false, false},
		{"401", NewSample(401, nil, nil, nil), true, false},
		{"404 error body", NewSample(404, nil, []byte(`{"error": "Not found"}`), nil), true, false},
		{"422 error body", NewSample(422, nil, []byte(`{"msg": "Invalid header"}`), nil), true, false},
		{"500", NewSample(500, nil, []byte(`Internal Server Error`), nil), false, false},
		{"429", NewSample(429, nil, []byte(`{"error": "slow down"}`), nil), false, false},
	}
	for _, c := range cases {
		if got := Refusal(c.s); got != c.refusal {
			t.Errorf("%s: Refusal = %v, want %v", c.name, got, c.refusal)
		}
		if got := Served(c.s); got != c.served {
			t.Errorf("%s: Served = %v, want %v", c.name, got, c.served)
		}
	}
}

// TestCalibratedRefusals: with each refusal style, an endpoint is gated
// and a probe answered like the refusals is rejected, one answered like
// the valid credential accepted; a 5xx or redirect never is.
func TestCalibratedRefusals(t *testing.T) {
	t.Parallel()
	valid := func() *Sample {
		return NewSample(200, nil, []byte(`{"success": true, "customers": [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bo"}]}`), nil)
	}
	loc := http.Header{}
	loc.Set("Location", "/login")
	styles := map[string]func() *Sample{
		"200": func() *Sample {
			return NewSample(200, nil, []byte(`{"success": false, "error": "Invalid API token."}`), nil)
		},
		"302": func() *Sample { return NewSample(302, loc.Clone(), []byte(`<a href="/login">login</a>`), nil) },
		"404": func() *Sample { return NewSample(404, nil, []byte(`{"error": "Not found"}`), nil) },
		"422": func() *Sample { return NewSample(422, nil, []byte(`{"error": "Invalid API token."}`), nil) },
		"500": func() *Sample { return NewSample(500, nil, []byte(`{"error": "internal"}`), nil) },
	}
	for name, refused := range styles {
		c := Calibrate([]*Sample{valid(), valid()}, []*Sample{refused(), refused()})
		if !c.Gated {
			t.Errorf("%s: not gated: %s", name, c.Reason)
			continue
		}
		if v, why := c.Classify(refused()); v != Rejected {
			t.Errorf("%s: a refusal classified %s (%s)", name, v, why)
		}
		if !c.Refused(refused()) || c.ServedBy(refused()) {
			t.Errorf("%s: Refused/ServedBy disagree with the verdict", name)
		}
		if v, why := c.Classify(valid()); v != Accepted || !c.ServedBy(valid()) {
			t.Errorf("%s: the valid answer classified %s (%s)", name, v, why)
		}
		other := NewSample(503, nil, []byte(`maintenance`), nil)
		if v, _ := c.Classify(other); v == Accepted {
			t.Errorf("%s: an unrelated 503 was accepted", name)
		}
	}
}

// TestLoginPage: a 200 HTML sign-in page is a refusal and never served; a
// page with a password input that names no sign-in (changing a password)
// and an ordinary page are not; a bare 204 matches a known bare 204.
func TestLoginPage(t *testing.T) {
	page := func(body string) *Sample {
		return NewSample(200, http.Header{"Content-Type": {"text/html"}}, []byte(body), nil)
	}
	for body, want := range map[string]bool{
		`<!doctype html><html><head><title>Sign in - Bank</title></head><body><form method=post><input name=u><input type=password name=p></form></body></html>`: true,
		`<html><body><h1>Welcome back</h1><form action="/accounts/login/?next=/api/x"><input type="password" name="pw"></form></body></html>`:                    true,
		`<html><head><title>Change password</title></head><body><form action="/account/password"><input type="password" name="new"></form></body></html>`:        false,
		`<html><head><title>Login history</title></head><body><p>3 logins</p></body></html>`:                                                                     false,
		`{"title": "login", "password": "type=password <input"}`:                                                                                                 false,
	} {
		s := page(body)
		if LoginPage(s) != want || Refusal(s) != want || Served(s) == want {
			t.Errorf("LoginPage %v, Refusal %v, Served %v, want page %v: %s", LoginPage(s), Refusal(s), Served(s), want, body)
		}
	}
	empty := NewSample(204, nil, nil, nil)
	if !SameRefusal(NewSample(204, nil, nil, nil), empty) || Refusal(empty) {
		t.Error("a bare 204 matches a known bare 204 and is no refusal on its own")
	}
	if SameRefusal(NewSample(200, nil, []byte(`{"id": 1}`), nil), NewSample(200, nil, []byte(`{"id": 2}`), nil)) {
		t.Error("two served 200s are no refusal")
	}
}
