package identity

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/authprobe/authprobe/internal/oracle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authprobe/authprobe/internal/httpx"
)

// Session is what identities need to log in: the scan's client and target.
type Session struct {
	Client *httpx.Client
	Target *url.URL
	// OnLogin, when set, is told every credential a login issued and
	// whose it is (the scan's write guard tells a throwaway account's
	// fresh token from a configured identity's).
	OnLogin func(id *Identity, c Creds)
}

// Resolve turns a path or absolute URL into an absolute URL on the target.
func (s *Session) Resolve(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	return s.Target.ResolveReference(u).String(), nil
}

func (id *Identity) login(ctx context.Context, s *Session) error {
	l := id.Login
	target, err := s.Resolve(l.URL)
	if err != nil {
		return fmt.Errorf("login %s: url %q: %w", id.Name, l.URL, err)
	}
	req := &httpx.Request{Method: strings.ToUpper(l.Method), URL: target, Header: http.Header{}, Identity: id.Name + " (login)"}
	if req.Method == "" {
		req.Method = http.MethodPost
	}
	switch {
	case l.JSON != nil:
		body, err := json.Marshal(l.JSON)
		if err != nil {
			return fmt.Errorf("login %s: body: %w", id.Name, err)
		}
		req.Body = body
		req.Header.Set("Content-Type", "application/json")
	case l.Form != nil:
		form := url.Values{}
		for k, v := range l.Form {
			form.Set(k, v)
		}
		req.Body = []byte(form.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range l.Header {
		req.Header.Set(k, v)
	}
	for _, sv := range l.JSON.Strings() {
		s.Client.Redactor.Add(sv)
	}
	for _, v := range l.Form {
		s.Client.Redactor.Add(v)
	}
	resp := s.Client.Do(ctx, req)
	if wait, ok := loginBackoff(resp); ok {
		// A login throttled by an earlier run or check: logging in is
		// worth a longer wait than a probe is.
		select {
		case <-ctx.Done():
			return fmt.Errorf("login %s: %w", id.Name, ctx.Err())
		case <-time.After(wait):
		}
		resp = s.Client.Do(ctx, req)
	}
	if resp.Err != nil {
		return fmt.Errorf("login %s: %w", id.Name, resp.Err)
	}
	if (resp.Status < 200 || resp.Status > 299) && !FormSignIn(l, resp) {
		return fmt.Errorf("login %s: %s %s answered %d", id.Name, req.Method, l.URL, resp.Status)
	}
	if oracle.ErrorEnvelope(resp.Body) {
		// {"success": false, ...} with a 200 is a refused login.
		return fmt.Errorf("login %s: %s %s answered %d with an error: %s", id.Name, req.Method, l.URL, resp.Status, firstLine(resp.Body))
	}
	cur := id.Base.Clone()
	if l.Token == "" {
		cookies := (&http.Response{Header: resp.Header}).Cookies()
		if len(cookies) == 0 && !id.Base.Empty() {
			// A login that issues nothing: the caller is named by its
			// configured header (or key) afterwards; the login itself is
			// still a flow whose answers the brute-force check reads.
			id.cur = cur
			id.logged = true
			return nil
		}
		if len(cookies) == 0 {
			return fmt.Errorf("login %s: no token path configured, the response set no cookie, and the identity has no other credential", id.Name)
		}
		for _, c := range cookies {
			cur.Cookies[c.Name] = c.Value
			s.Client.Redactor.Add(c.Value)
		}
	} else {
		tok, err := dig(resp.Body, l.Token)
		if err != nil {
			return fmt.Errorf("login %s: %w", id.Name, err)
		}
		s.Client.Redactor.Add(tok)
		if err := place(&cur, l.Use, tok); err != nil {
			return fmt.Errorf("login %s: %w", id.Name, err)
		}
		id.expiry = expiryOf(tok)
		id.raw = tok
	}
	id.cur = cur
	id.answer = resp.Body
	id.logged = true
	if s.OnLogin != nil {
		s.OnLogin(id, cur.Clone())
	}
	return nil
}

// maxLoginWait caps how long a throttled login waits before its one retry.
const maxLoginWait = 30 * time.Second

// LoginBackoff says how long to wait before retrying a throttled login
// (a 429 whose Retry-After is at most 30 s); false when it should not be.
func LoginBackoff(resp *httpx.Response) (time.Duration, bool) { return loginBackoff(resp) }

// loginBackoff says how long to wait before retrying a throttled login.
func loginBackoff(resp *httpx.Response) (time.Duration, bool) {
	if resp.Err != nil || resp.Status != http.StatusTooManyRequests {
		return 0, false
	}
	secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After")))
	if err != nil || secs < 0 || time.Duration(secs)*time.Second > maxLoginWait {
		return 0, false
	}
	return time.Duration(secs)*time.Second + 100*time.Millisecond, true
}

// place puts a token where Login.Use says.
func place(c *Creds, use, tok string) error {
	p, err := ParseUse(use)
	if err != nil {
		return err
	}
	return p.Put(c, tok)
}

// dig follows a dot path ("data.token") into a JSON document.
func dig(body []byte, path string) (string, error) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("response is not JSON: %w", err)
	}
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", fmt.Errorf("token path %q: %q is not inside an object", path, key)
		}
		if v, ok = m[key]; !ok {
			return "", fmt.Errorf("token path %q: no %q in the response", path, key)
		}
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "", fmt.Errorf("token path %q: not a non-empty string", path)
	}
	return s, nil
}

// firstLine is a short, printable start of a body for messages.
func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// FormSignIn: a web app's sign-in form answered as such forms do on
// success: a redirect (to the page after signing in, not back to a login
// page) that sets the session cookie, for a login with no token path.
func FormSignIn(l *Login, resp *httpx.Response) bool {
	if l.Token != "" || resp.Status/100 != 3 {
		return false
	}
	if oracle.LoginRedirect(&oracle.Sample{Status: resp.Status, Header: resp.Header}) {
		return false
	}
	return len((&http.Response{Header: resp.Header}).Cookies()) > 0
}
