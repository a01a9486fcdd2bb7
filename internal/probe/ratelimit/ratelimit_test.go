package ratelimit

import (
	"github.com/authprobe/authprobe/internal/identity"

	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

func outcome(status int, h http.Header, v oracle.Verdict) *probe.Outcome {
	return &probe.Outcome{Sample: oracle.NewSample(status, h, []byte(`{"error":"x"}`), nil), Verdict: v}
}

// fake is a target answering failure i with answer(i) and the valid
// credential with ctl.
func fake(answer func(i int) *probe.Outcome, ctl *probe.Outcome) series {
	return series{
		what:    "test",
		attempt: func(_ context.Context, i int) *probe.Outcome { return answer(i) },
		refused: func(o *probe.Outcome) bool { return o.Rejected() },
		control: func(context.Context) *probe.Outcome { return ctl },
		works:   func(o *probe.Outcome) bool { return o.Accepted() },
	}
}

func TestSeries(t *testing.T) {
	refuse := func(int) *probe.Outcome { return outcome(401, nil, oracle.Rejected) }
	ok := outcome(200, nil, oracle.Accepted)
	slowOK := outcome(200, nil, oracle.Accepted)
	slowOK.Sample.Took = 900 * time.Millisecond
	cases := []struct {
		name      string
		s         series
		protected bool
		finding   bool
		sent      int
	}{
		{"no limit", fake(refuse, ok), false, true, 30},
		{"429 after 20", fake(func(i int) *probe.Outcome {
			if i >= 20 {
				return outcome(429, http.Header{"Retry-After": {"5"}}, oracle.Inconclusive)
			}
			return refuse(i)
		}, ok), true, false, 21},
		{"rate-limit headers", fake(func(int) *probe.Outcome {
			return outcome(401, http.Header{"X-Ratelimit-Remaining": {"3"}}, oracle.Rejected)
		}, ok), true, false, 1},
		{"429 only for the valid credential afterwards", fake(refuse, outcome(429, nil, oracle.Inconclusive)), true, false, 30},
		{"lockout of the valid credential", fake(refuse, outcome(401, nil, oracle.Rejected)), true, false, 30},
		{"server errors", fake(func(i int) *probe.Outcome {
			if i == 3 {
				return outcome(502, nil, oracle.Inconclusive)
			}
			return refuse(i)
		}, ok), false, false, 4},
		{"an attempt accepted", fake(func(int) *probe.Outcome { return outcome(200, nil, oracle.Accepted) }, ok), false, false, 1},
		// gullible-bank: the fourth failure is answered "User locked out!"
		// with the same 403 as a wrong password.
		{"a lockout answer", fake(func(i int) *probe.Outcome {
			body := `{"status":"FORBIDDEN","message":"Authentication Failed!"}`
			if i >= 3 {
				body = `{"status":"FORBIDDEN","message":"User locked out! Try again later"}`
			}
			return &probe.Outcome{Sample: oracle.NewSample(403, nil, []byte(body), nil), Verdict: oracle.Rejected}
		}, ok), true, false, 4},
		// The slowdown is read from the requests' own times: answers that
		// took 2 ms each are no slowdown, however long the client waited
		// (rate limit, free connection) before sending the late ones.
		{"no slowdown in the requests' own times", fake(func(i int) *probe.Outcome {
			o := refuse(i)
			o.Sample.Took = 2 * time.Millisecond
			if i >= 25 {
				time.Sleep(700 * time.Millisecond)
			}
			return o
		}, ok), false, true, 30},
		{"slowdown in the requests' own times", fake(func(i int) *probe.Outcome {
			o := refuse(i)
			o.Sample.Took = 2 * time.Millisecond
			if i >= 25 {
				o.Sample.Took = time.Second
			}
			return o
		}, ok), true, false, 30},
		// Load, not throttling: the late answers are slow and so is the
		// valid credential's afterwards; nothing is concluded.
		{"the valid credential slowed too", fake(func(i int) *probe.Outcome {
			o := refuse(i)
			o.Sample.Took = 2 * time.Millisecond
			if i >= 25 {
				o.Sample.Took = time.Second
			}
			return o
		}, slowOK), false, false, 30},
		// A spike among the late attempts is no trend: one of them as fast
		// as the early ones, and the series stands.
		{"a spike, not a slowdown", fake(func(i int) *probe.Outcome {
			o := refuse(i)
			o.Sample.Took = 2 * time.Millisecond
			if i >= 25 && i != 27 {
				o.Sample.Took = 2 * time.Second
			}
			return o
		}, ok), false, true, 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := c.s.run(context.Background(), 30)
			if v.protected != c.protected || v.sent != c.sent {
				t.Errorf("protected %v sent %d (%s), want %v %d", v.protected, v.sent, v.why, c.protected, c.sent)
			}
			finding := !v.protected && v.why == "" && v.control != nil
			if finding != c.finding {
				t.Errorf("finding %v, want %v (%s)", finding, c.finding, v.why)
			}
		})
	}
}

func TestThrottled(t *testing.T) {
	for _, c := range []struct {
		status int
		h      http.Header
		want   string
	}{
		{429, nil, "429"}, {423, nil, "423"}, {401, http.Header{"Retry-After": {"30"}}, "Retry-After"},
		{401, http.Header{"Ratelimit-Limit": {"10"}}, "Ratelimit-Limit"}, {401, http.Header{"X-Rate-Limit-Reset": {"1"}}, "X-Rate-Limit-Reset"},
		{401, nil, ""}, {503, nil, ""},
	} {
		got := throttled(oracle.NewSample(c.status, c.h, nil, nil))
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("throttled(%d, %v) = %q, want %q", c.status, c.h, got, c.want)
		}
	}
}

func TestPasswordField(t *testing.T) {
	for k, want := range map[string]bool{"password": true, "pass": true, "passwd": true, "user_pwd": true, "client_secret": true, "username": false, "user": false, "remember": false} {
		if passwordField(k) != want {
			t.Errorf("passwordField(%q) = %v", k, !want)
		}
	}
}

func TestNestedLoginBody(t *testing.T) {
	t.Parallel()
	l := &identity.Login{JSON: identity.Body{"user": map[string]any{"email": "a@x.io", "password": "pw"}}}
	field, ok := secretField(l)
	if !ok || field != "user.password" {
		t.Fatalf("secretField = %q, %v; want user.password", field, ok)
	}
	req := loginRequest(l, "POST", "http://h/api/users/login", field, "guess", "", "")
	if got := string(req.Body); got != `{"user":{"email":"a@x.io","password":"guess"}}` {
		t.Fatalf("body %s", got)
	}
	if v, _ := l.JSON.Lookup("user.password"); v != "pw" {
		t.Fatalf("the configured body was changed: %v", v)
	}
}

// TestSeriesConsistentRefusal: any consistent refusal counts, whatever its
// status (a 404, 422 or 500 every wrong key gets alike); a series whose
// answers change is inconclusive.
func TestSeriesConsistentRefusal(t *testing.T) {
	same := func(status int) func(int) *probe.Outcome {
		return func(int) *probe.Outcome {
			return &probe.Outcome{Sample: oracle.NewSample(status, nil, []byte(`{"detail":"nope"}`), nil), Verdict: oracle.Inconclusive}
		}
	}
	ok := outcome(200, nil, oracle.Accepted)
	for _, st := range []int{404, 422, 500} {
		v := fake(same(st), ok).run(context.Background(), 30)
		if v.protected || v.why != "" || v.sent != 30 || v.control == nil {
			t.Errorf("consistent %d: protected %v sent %d (%s), want an unprotected series of 30", st, v.protected, v.sent, v.why)
		}
	}
	varying := fake(func(i int) *probe.Outcome {
		return &probe.Outcome{Sample: oracle.NewSample(500, nil, []byte(`{"trace":"`+strings.Repeat("x", i*40)+`"}`), nil), Verdict: oracle.Inconclusive}
	}, ok)
	if v := varying.run(context.Background(), 30); v.why == "" {
		t.Errorf("answers that change were taken as a consistent refusal (sent %d)", v.sent)
	}
}

func TestIdentifier(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "42": true, "1001": true, "483920": false, "hunter2": false, "": false, "pk_live_x": false} {
		if identifier(v) != want {
			t.Errorf("identifier(%q) = %v, want %v", v, !want, want)
		}
	}
}

// TestChangeBody: the current- and new-password fields of a password
// change's body, from the handler's code when nothing else gives one.
func TestChangeBody(t *testing.T) {
	ep, _ := inventory.ParseEndpoint("POST /user/change-password")
	st := probe.Settings{SourceBodies: map[string]probe.SourceBody{ep.Key(): {Value: map[string]any{
		"username": "authprobe", "old_password": "authprobe-pw", "new_password": "authprobe-pw"}}}}
	body, cur, next := changeBody(st, &inventory.Inventory{}, &ep)
	if body == nil || cur != "old_password" || next != "new_password" {
		t.Errorf("changeBody: %v %q %q", body, cur, next)
	}
	form := probe.Settings{SourceBodies: map[string]probe.SourceBody{ep.Key(): {Value: map[string]any{"password": "x"}, Form: true}}}
	if body, _, _ := changeBody(form, &inventory.Inventory{}, &ep); body != nil {
		t.Errorf("a form body was taken: %v", body)
	}
}

// TestRandomBits: machine-made keys are strong; words and short keys are
// not, however long.
func TestRandomBits(t *testing.T) {
	for key, strong := range map[string]bool{
		"3f2b9c1e-7d4a-4b8e-9c2d-5e6f7a8b9c0d":        true,  // uuid4
		"Zx3_8kQpL0vT2mN9rS7yW1bC4dF6gH5j":            true,  // token_urlsafe
		"tb_acme_7f3a9c2e51d84b06":                    false, // 64 random bits
		"secure-admin-token":                          false,
		"hunter2":                                     false,
		"$API_KEY":                                    false,
		"sk_live_4eC39HqLyjWDarjtT1zdp7dc4eC39HqLy":   true,
		"deadbeef-7d4a-4b8e-9c2d-5e6f7a8b9c0d":        true, // uuid4 whose first group has no digit
		"8b-AutikeIbGoBVjVBbqyZr0_rOkESvJFPolPJaBOUo": true, // token_urlsafe with few digits (was 0)
		"YCJ_pkVDRCOjaTZi1z-pnc4-lvvmqxTtDfATPSzdQrw": true,
		"MySuperSecretAdminToken2024":                 false, // camel-cased words and a year
		"supersecretadmintokenvalue":                  false,
		"Prod-Api-Key-Alpha-Beta-42":                  false, // capitalised words between separators (was read as random)
		"my_api_key_for_staging_env":                  false,
	} {
		if got := randomBits(key) >= strongKey; got != strong {
			t.Errorf("%s: %.0f bits, strong %v", key, randomBits(key), got)
		}
	}
}

// TestRandomBitsStable: keys the API mints afresh at each login
// (secrets.token_urlsafe, uuid4), judged on the three identities' values as
// the check does, are strong whatever their random characters happen to
// be, so the severity of an unthrottled key does not change from scan to
// scan (expenses-hardened's bearer token read medium about once in 40
// logins when one token's separators and digits decided).
func TestRandomBitsStable(t *testing.T) {
	draw := func(uuid bool) string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		if uuid {
			return fmt.Sprintf("%x-%x-4%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:16])
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	for i := 0; i < 100000; i++ {
		for _, uuid := range []bool{false, true} {
			keys := []string{draw(uuid), draw(uuid), draw(uuid)}
			if keyBits(keys...) < strongKey {
				t.Fatalf("%v: %.0f bits, want strong", keys, keyBits(keys...))
			}
		}
	}
}

// A 422 that names a field other than the credential (FastAPI's OAuth2
// form rejecting grant_type) makes the series inconclusive: no finding.
func TestSeriesValidationOtherField(t *testing.T) {
	body := []byte(`{"detail":[{"loc":["body","grant_type"],"msg":"string does not match regex \"password\"","type":"value_error.str.regex"}]}`)
	ans := func(int) *probe.Outcome {
		return &probe.Outcome{Sample: oracle.NewSample(422, nil, body, nil), Verdict: oracle.Inconclusive}
	}
	s := fake(ans, &probe.Outcome{Sample: oracle.NewSample(422, nil, body, nil)})
	s.carriers = []string{"password", "username"}
	v := s.run(context.Background(), 10)
	if v.protected || v.why == "" || !strings.Contains(v.why, "grant_type") {
		t.Fatalf("want inconclusive naming grant_type, got %+v", v)
	}
	// The same answer naming the password is a refusal of the guess.
	body = []byte(`{"detail":[{"loc":["body","password"],"msg":"field required"}]}`)
	if f := s.otherField(oracle.NewSample(422, nil, body, nil)); f != "" {
		t.Fatalf("a 422 naming the password names %q as another field", f)
	}
}

// A keyed series whose valid key is answered like the guesses (an object
// nobody has, refused alike) proves nothing: inconclusive, never a
// lockout; answered otherwise (past the gate), it proves the guesses were
// not throttled.
func TestSeriesUnproven(t *testing.T) {
	refusal := []byte(`{"error": "Sorry, that's not allowed."}`)
	guess := func(int) *probe.Outcome {
		return &probe.Outcome{Sample: oracle.NewSample(200, nil, refusal, nil), Verdict: oracle.Inconclusive}
	}
	alike := &probe.Outcome{Sample: oracle.NewSample(200, nil, refusal, nil)}
	s := fake(guess, alike)
	s.refused = func(o *probe.Outcome) bool { return oracle.Refusal(o.Sample) }
	s.works = func(o *probe.Outcome) bool { return string(o.Sample.Body) != string(refusal) }
	s.unproven = "alike"
	if v := s.run(context.Background(), 10); v.protected || v.why != "alike" {
		t.Fatalf("control answered like the guesses: %+v, want inconclusive", v)
	}
	past := &probe.Outcome{Sample: oracle.NewSample(200, nil, []byte(`{"error": "No cafe found with that id."}`), nil)}
	s = fake(guess, past)
	s.refused = func(o *probe.Outcome) bool { return oracle.Refusal(o.Sample) }
	s.works = func(o *probe.Outcome) bool { return string(o.Sample.Body) != string(refusal) }
	s.unproven = "alike"
	if v := s.run(context.Background(), 10); v.protected || v.why != "" || v.control == nil {
		t.Fatalf("control past the gate: %+v, want an unthrottled series", v)
	}
}
