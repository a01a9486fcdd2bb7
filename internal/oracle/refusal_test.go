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
