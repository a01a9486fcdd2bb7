package ratelimit

import (
	"context"
	"net/http"
	"testing"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
)

func page(status int, h http.Header, body string) func(int) *probe.Outcome {
	return func(int) *probe.Outcome {
		return &probe.Outcome{Sample: oracle.NewSample(status, h, []byte(body), nil), Verdict: oracle.Inconclusive}
	}
}

// formSeries is the series loginSeries builds for a form login with no
// token path (its refused and works), answering as the given pages do.
func formSeries(fail func(int) *probe.Outcome, ctl *probe.Outcome) series {
	return series{
		what:    "test",
		attempt: func(_ context.Context, i int) *probe.Outcome { return fail(i) },
		refused: func(o *probe.Outcome) bool { return oracle.Refusal(o.Sample) || o.Sample.Status == 400 },
		control: func(context.Context) *probe.Outcome { return ctl },
		works:   func(o *probe.Outcome) bool { return oracle.Served(o.Sample) },
	}
}

// TestCookieLoginSeries: a web form whose credential is the cookie it
// sets answers a wrong password with a page or a redirect that sets no
// credential, and the right one by setting it. Without cookieLogin such a
// series decides nothing (a 200 page is no refusal, a 302 onwards no
// usable control); with it, an unthrottled form is a finding and a form
// that stops letting the right password in is a lockout.
func TestCookieLoginSeries(t *testing.T) {
	l := &identity.Login{URL: "/login", Form: map[string]string{"user": "a", "password": "pw"}}
	form := `<html><body><h1>Members</h1><form method=post><input name=user><input name=password type=password></form><p>wrong</p></body></html>`
	flash := http.Header{"Location": {"/signin"}, "Set-Cookie": {"flash=bad; Path=/"}}
	signed := http.Header{"Location": {"/home"}, "Set-Cookie": {"sid=s3cr3t; Path=/; HttpOnly"}}
	okPage := page(200, http.Header{"Set-Cookie": {"sid=s3cr3t; Path=/"}}, `<html><body>welcome</body></html>`)(0)
	cases := []struct {
		name      string
		fail      func(int) *probe.Outcome
		ctl       *probe.Outcome
		protected bool
	}{
		{"form again, 2xx sign-in with cookie", page(200, nil, form), okPage, false},
		{"redirect back with a flash cookie, redirect onwards with the session", page(303, flash, ""), page(302, signed, "")(0), false},
		{"form again, then the right password is refused too", page(200, nil, form), page(200, nil, form)(0), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := formSeries(c.fail, c.ctl).run(context.Background(), 30)
			s := formSeries(c.fail, c.ctl)
			cookieLogin(&s, l)
			v := s.run(context.Background(), 30)
			if v.protected != c.protected || (!c.protected && (v.why != "" || v.sent != 30)) {
				t.Errorf("protected %v (%s) sent %d, want protected %v", v.protected, v.why, v.sent, c.protected)
			}
			if !c.protected && before.why == "" && !before.protected {
				t.Errorf("the plain series decided this shape already; the test shows nothing")
			}
		})
	}
}
