// Package identity owns the named principals a scan acts as: their static
// credentials (bearer token, headers, query parameters, cookies), login flows
// that obtain a token and log in again when it expires, and the preflight
// that refuses to scan with an identity that does not authenticate.
package identity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Login describes how an identity obtains its token.
type Login struct {
	Method string
	URL    string            // relative to the target, or absolute on its host
	JSON   Body              // JSON body
	Form   map[string]string // form body
	Header map[string]string // extra request headers
	// Token is the dot path of the token in the JSON response; empty means
	// the session cookies the login sets are the credential.
	Token string
	// Use says how the token is sent: "bearer" (default), "header:Name",
	// "header:Name:Scheme {token}", "cookie:name" or "query:name"; see
	// ParseUse.
	Use string
	// UserField and PasswordField are the dot paths of the user name and
	// password in the body ("user.email"); empty means found by name.
	UserField, PasswordField string
}

// Identity is a named principal.
type Identity struct {
	Name  string
	Role  string
	Base  Creds
	Login *Login
	// Throwaway marks an account the scan may log out, lock, change or
	// reset (config throwaway: true); others are never changed, and
	// brute-force checks use a made-up username for them.
	Throwaway bool

	mu       sync.Mutex
	cur      Creds
	raw      string // the token the last login issued ("" for cookie logins)
	answer   []byte // the last login's answer body
	expiry   time.Time
	logged   bool
	loggedAt time.Time
	// now is the clock (tests); nil means time.Now.
	now func() time.Time
}

// ReloginFloor is the least time between two logins of one identity: a
// token that expires within seconds, or a clock skewed against the
// server's, must not make every request log in again.
const ReloginFloor = 15 * time.Second

// renewBefore is how long before its expiry a token is renewed.
const renewBefore = 10 * time.Second

func (id *Identity) clock() time.Time {
	if id.now != nil {
		return id.now()
	}
	return time.Now()
}

// due reports whether the token should be renewed now.
func (id *Identity) due() bool {
	if !id.logged {
		return true
	}
	if id.expiry.IsZero() {
		return false
	}
	next := id.expiry.Add(-renewBefore)
	if floor := id.loggedAt.Add(ReloginFloor); next.Before(floor) {
		next = floor
	}
	return !id.clock().Before(next)
}

// LoginAnswer returns the body of the identity's last successful login
// (nil without a login flow): what the API says the identity is.
func (id *Identity) LoginAnswer() []byte {
	id.mu.Lock()
	defer id.mu.Unlock()
	return id.answer
}

// Admin reports whether the identity is the privileged reference.
func (id *Identity) Admin() bool { return strings.EqualFold(id.Role, "admin") }

// Creds returns the identity's current credentials, logging in first when it
// has a login flow and no token yet or the token is about to expire.
func (id *Identity) Creds(ctx context.Context, s *Session) (Creds, error) {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.Login == nil {
		return id.Base.Clone(), nil
	}
	if id.due() {
		if err := id.login(ctx, s); err != nil {
			return Creds{}, err
		}
		id.loggedAt = id.clock()
	}
	return id.cur.Clone(), nil
}

// Relogin forces a new login (after a credential stopped working).
func (id *Identity) Relogin(ctx context.Context, s *Session) error {
	if id.Login == nil {
		return nil
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.logged && id.clock().Sub(id.loggedAt) < ReloginFloor {
		return nil
	}
	if err := id.login(ctx, s); err != nil {
		return err
	}
	id.loggedAt = id.clock()
	return nil
}

// Token returns the raw token the identity's login issued, logging in
// first when needed; "" for identities without a token login.
func (id *Identity) Token(ctx context.Context, s *Session) (string, error) {
	if id.Login == nil || id.Login.Token == "" {
		return "", nil
	}
	if _, err := id.Creds(ctx, s); err != nil {
		return "", err
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	return id.raw, nil
}

// SetUse changes where the identity's login token is sent and moves the
// token it holds there, without logging in again.
func (id *Identity) SetUse(use string) error {
	if id.Login == nil {
		return fmt.Errorf("identity %s has no login", id.Name)
	}
	if _, err := ParseUse(use); err != nil {
		return err
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	id.Login.Use = use
	if !id.logged || id.raw == "" {
		return nil
	}
	cur := id.Base.Clone()
	if err := place(&cur, use, id.raw); err != nil {
		return err
	}
	id.cur = cur
	return nil
}

// Forget drops the token the identity holds, so that its next use logs
// in again whatever the relogin floor says: for a token a check revoked
// on purpose (a logout, a password change).
func (id *Identity) Forget() {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.Login != nil {
		id.logged = false
	}
}

// JWT returns the identity's bearer token when it is a JWT.
func (id *Identity) JWT(ctx context.Context, s *Session) string {
	c, err := id.Creds(ctx, s)
	if err != nil || strings.Count(c.Bearer, ".") != 2 {
		return ""
	}
	return c.Bearer
}

// expiryOf reads exp from a JWT without verifying it; zero when absent.
func expiryOf(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp json.Number `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return time.Time{}
	}
	f, err := claims.Exp.Float64()
	if err != nil || f <= 0 {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}

func (id *Identity) String() string { return fmt.Sprintf("identity %s", id.Name) }
