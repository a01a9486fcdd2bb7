package lifecycle

import (
	"context"
	"errors"
	"net/http"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/probe"
)

// errThrottled is a fresh login refused as too many requests (429) after
// the one wait a Retry-After allows, if any: a login limited to a few a
// minute is often spent by the scan's own logins (every identity, every
// account it registers) before the lifecycle checks run.
var errThrottled = errors.New("login throttled")

// loginOrHeld is a fresh login, or, when the login is throttled, the token
// the identity already works with (from its last login answer), so that a
// rate-limited login does not leave the logout and refresh requests unsent.
// held says which; a check that revokes a held token must log the identity
// in again afterwards (restoreCheck). Cookie logins hold nothing here.
func (a *account) loginOrHeld(ctx context.Context, p *probe.Pass) (s *session, held bool, err error) {
	s, err = a.login(ctx, p, a.password, nil)
	if err == nil || !errors.Is(err, errThrottled) || a.id.Login.Token == "" {
		return s, false, err
	}
	if _, cerr := a.id.Creds(ctx, p.Session()); cerr != nil {
		return nil, false, err
	}
	body := a.id.LoginAnswer()
	tok := dig(body, a.id.Login.Token)
	if tok == "" {
		return nil, false, err
	}
	p.Redactor().Add(tok)
	resp := &httpx.Response{Status: http.StatusOK, Header: http.Header{}, Body: body}
	return &session{creds: withToken(a.id, a.id.Base, tok), token: tok, resp: resp}, true, nil
}
