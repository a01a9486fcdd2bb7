// Package accounts makes throwaway accounts through the API's own
// registration (only with --allow-writes), so that one configured identity
// is enough for the cross-identity checks, and reports what registration
// gives away: privileged fields it accepts (mass assignment, proven by
// logging in as the account and comparing its privileges) and which names
// it tells apart ("already exists"). The engine makes the accounts before
// calibration; the checks here read what it learnt. After the write phase
// the accounts are themselves the objects of writes (another identity's
// update or delete, the account's own update with fields its record
// shows, each read back) and are deleted at the end where the API lets
// them be.
package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
)

// Sender sends one request (the engine's scoped, rate-limited client).
type Sender func(ctx context.Context, req *httpx.Request) *httpx.Response

// Account is one account the scan made.
type Account struct {
	// Name is the identity name in the scan ("account-1").
	Name string `json:"name"`
	// User is the user name or e-mail it was registered with.
	User string `json:"user"`
	// How says how it was created ("POST /api/register").
	How string `json:"how"`
	// State is "left" until the end of the scan, then "deleted (how)" or
	// "left (why)".
	State string `json:"state"`
	// Fields are privileged fields sent with the registration (the
	// mass-assignment probe), none for a plain account.
	Fields []string `json:"fields,omitempty"`

	Identity *identity.Identity `json:"-"`
	// Request and Status are the registration request and its answer.
	Request *httpx.Request `json:"-"`
	Status  int            `json:"-"`
	Answer  []byte         `json:"-"`
	// Password is the account's password: for redaction, never printed.
	Password string `json:"-"`
	// names are the fresh values it was registered with (its user name
	// and e-mail, which no one else has): an answer holding one is about
	// it.
	names []string
	// sent are the privileged fields and the values it was registered
	// with: what a gained privilege must read back as.
	sent map[string]any
}

// Registrar is a working registration: the endpoint, the body that
// created an account, and the login to log the new accounts in with.
type Registrar struct {
	Method, Path string
	URL          string
	body         map[string]any // fields asked for beyond the login's
	// base is the body new accounts are modelled on: the template
	// identity's login body, else the registration's own body from the
	// spec or source (then no account can log in: login is nil).
	base     identity.Body
	login    *identity.Login
	userPath string
	passPath string
	// carrier says how login sends the credentials; loginUser and
	// loginPass are their paths there (userPath and passPath, but for a
	// Basic login: its header's user name and password).
	carrier              carrier
	loginUser, loginPass string
	special              bool // the password policy asks for a symbol
	// enc is how the fields travel (a JSON body, a form, the query
	// string), and whether that is known.
	enc   encoding
	short bool // a length rule refused the values: shorter ones
	// As names the identity whose credential the registration needs (a
	// user-creating endpoint any member may call refused anonymous
	// requests and took that member's): empty when open.
	As    string
	creds identity.Creds
}

// encoding is how a registration's fields travel.
type encoding int

const (
	encJSON encoding = iota // a JSON body
	encForm                 // an HTML form, as the template identity's login sends its own
	// encFormUnsure: a form because the template's login is one, while
	// nothing said whether the handler reads a form or JSON; a refusal
	// that asks for the very fields sent turns it to JSON once.
	encFormUnsure
	// encQuery: the query string, not a body (FastAPI's scalar
	// parameters of a POST; its refusal locates them in "query").
	encQuery
)

// form: the fields go as a form.
func (e encoding) form() bool { return e == encForm || e == encFormUnsure }

// Member is a non-admin identity and its credential, for a user-creating
// endpoint that needs a login.
type Member func() (string, identity.Creds, bool)

// post is a registration request, with the member's credential when the
// endpoint needs one.
func (r *Registrar) post(body map[string]any) *httpx.Request {
	req := jsonPost(r.URL, body)
	switch {
	case r.enc == encQuery:
		req = queryPost(r.URL, body)
	case r.enc.form():
		req = formPost(r.URL, body)
	}
	if r.As != "" {
		_ = r.creds.Apply(req)
		req.Identity = "authprobe (registration as " + r.As + ")"
	}
	return req
}

// validation: a status that refuses a body, not a caller.
func validation(st int) bool { return st == 400 || st == 409 || st == 422 }

func jsonPost(u string, body map[string]any) *httpx.Request {
	b, _ := json.Marshal(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return &httpx.Request{Method: http.MethodPost, URL: u, Header: h, Body: b, Identity: "authprobe (registration)", NoRetry: true}
}

// maxTries bounds the registrations of one account (each retry adds the
// fields the previous refusal asked for).
const maxTries = 4

// Register creates one account, adding extra fields to the body; it
// retries with the fields a validation refusal names. It returns the
// account (nil when registration kept refusing) and the last answer.
func (r *Registrar) Register(ctx context.Context, send Sender, name string, extra map[string]any) (*Account, *httpx.Response) {
	c := fresh()
	var resp *httpx.Response
	for try := 0; try < maxTries; try++ {
		if r.short {
			c = c.shorter()
		}
		body := r.bodyFor(c, extra)
		req := r.post(body)
		resp = send(ctx, req)
		if resp.Err != nil {
			return nil, resp
		}
		if resp.Status/100 == 2 && !refusal(resp.Body) {
			acc := &Account{Name: name, User: r.userValue(c), How: r.Method + " " + r.Path, State: "left",
				Request: req, Status: resp.Status, Answer: resp.Body, Password: c.value(fillPassword, r.special).(string),
				names: []string{c.user, c.email}}
			acc.sent = map[string]any{}
			for k, v := range extra {
				acc.Fields = append(acc.Fields, k)
				acc.sent[k] = v
			}
			if r.login != nil {
				acc.Identity = r.identity(name, c)
			}
			return acc, resp
		}
		grew := false
		moved := r.enc != encQuery && inQuery(resp.Body)
		if moved {
			// The fields are asked for in the query string: the same
			// values go there next (not a length rule refusing them).
			r.enc, grew = encQuery, true
		}
		if r.enc == encFormUnsure && !moved && validation(resp.Status) {
			if _, u := asked(resp.Body)[last(r.userPath)]; u || asksCredentials(resp.Body) {
				// The fields sent were not read: JSON, once.
				r.enc = encJSON
				continue
			}
		}
		for k, f := range asked(resp.Body) {
			if moved && (k == last(r.userPath) || k == last(r.passPath)) {
				continue
			}
			if k == last(r.userPath) || k == last(r.passPath) {
				// A field it has, refused: too long or too short for a
				// rule the answer states; the next try is shorter.
				if !r.short {
					r.short, grew = true, true
				}
				continue
			}
			if _, ok := r.body[k]; !ok {
				r.body[k] = f
				grew = true
			}
		}
		if low := strings.ToLower(string(resp.Body)); !r.special && (strings.Contains(low, "special") || strings.Contains(low, "symbol")) {
			r.special, grew = true, true
		}
		if !grew {
			return nil, resp
		}
	}
	return nil, resp
}

// bodyFor is the login body with fresh values, plus the fields the
// registration asked for, plus extra.
func (r *Registrar) bodyFor(c credentials, extra map[string]any) map[string]any {
	b := identity.Body(r.base.With(r.userPath, r.userValue(c)))
	b = identity.Body(b.With(r.passPath, c.value(fillPassword, r.special)))
	// Fields a refusal asked for, and the extra ones, go beside the user
	// field: inside the login template's envelope ({"user": {...}}).
	prefix := ""
	if i := strings.LastIndex(r.userPath, "."); i >= 0 {
		prefix = r.userPath[:i+1]
	}
	for k, f := range r.body {
		if ff, ok := f.(fill); ok {
			b = identity.Body(b.With(prefix+k, c.value(ff, r.special)))
		} else if v, ok := f.(string); ok {
			b = identity.Body(b.With(prefix+k, v))
		}
	}
	for k, v := range extra {
		b = identity.Body(b.With(prefix+k, v))
	}
	return b
}

// userValue is the account's value for the login's user field: an e-mail
// when the template logs in with one.
func (r *Registrar) userValue(c credentials) string {
	if v, _ := r.base.Lookup(r.userPath); strings.Contains(fmt.Sprint(v), "@") || looksLike(last(r.userPath), "email", "mail") {
		return c.email
	}
	return c.user
}

// identity is the new account as a scan identity: the template's login
// (a JSON body, a form or a Basic header) with the account's user name and
// password, throwaway.
func (r *Registrar) identity(name string, c credentials) *identity.Identity {
	l := r.loginAs(r.login, r.userValue(c), c.value(fillPassword, r.special).(string))
	return &identity.Identity{Name: name, Login: l, Throwaway: true, Base: identity.Creds{
		Headers: map[string]string{}, Query: map[string]string{}, Cookies: map[string]string{}}}
}
