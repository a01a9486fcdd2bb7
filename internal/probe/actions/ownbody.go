package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	register "github.com/authprobe/authprobe/internal/probe/accounts"
)

// ownCredentials is a write whose body must carry an account's own
// credentials (POST /rotate-key {"email", "password"}, a deletion
// confirmed with the password), sent once more with the credentials of an
// account the scan registered — never a configured one, whose key or
// password it might change — when no identity's request was served. The
// identities hold keys or tokens, not the passwords such bodies ask for.
func ownCredentials(ctx context.Context, p *probe.Pass, w *write, owned map[string]ownedIDs, first string) {
	for _, o := range w.as {
		if o != nil && o.Sample != nil && o.Sample.Status/100 == 2 {
			return
		}
	}
	acc := madeAccount(p)
	if acc == nil {
		return
	}
	body, ok := withOwnCredentials(w.body, acc)
	if !ok {
		return
	}
	creds := identity.Creds{}
	if acc.Identity != nil {
		if c, err := acc.Identity.Creds(ctx, p.Session()); err == nil {
			creds = c
		}
	}
	u, b := fill(p, w.ep, body, owned[first], nil)
	o := send(ctx, p, w.ep, u, b, creds, acc.Name+" (its own credentials in the body)")
	p.Note(fmt.Sprintf("actions: %s takes an account's own credentials in its body: sent with those of %s, which the scan registered (answered %d)", w.ep.Key(), acc.Name, o.Sample.Status))
}

// madeAccount is a plain account the scan registered (one that logs in
// first), nil when none.
func madeAccount(p *probe.Pass) *register.Account {
	res := register.From(p.Env)
	if res == nil {
		return nil
	}
	for _, a := range append(append([]*register.Account(nil), res.Plain...), res.Accounts...) {
		if a.Password != "" && len(a.Fields) == 0 && a.Status/100 == 2 {
			return a
		}
	}
	return nil
}

// withOwnCredentials fills a body's password field with the account's
// password and its user fields (e-mail, user name) with the values the
// account was registered with; false when the body takes no password.
func withOwnCredentials(body map[string]any, acc *register.Account) (map[string]any, bool) {
	reg := registered(acc)
	out := make(map[string]any, len(body))
	pw := false
	for k, v := range body {
		out[k] = v
		l := strings.ToLower(k)
		switch {
		case currentPassword(l):
			out[k], pw = acc.Password, true
		case strings.Contains(l, "mail"):
			if v, ok := lookup(reg, "mail"); ok {
				out[k] = v
			} else if strings.Contains(acc.User, "@") {
				out[k] = acc.User
			}
		case l == "username" || l == "user" || l == "user_name" || l == "login" || l == "name":
			if v, ok := reg[k]; ok {
				out[k] = v
			} else if acc.User != "" {
				out[k] = acc.User
			}
		}
	}
	return out, pw
}

// currentPassword: a field for the account's present password (not a new
// one it would set).
func currentPassword(l string) bool {
	if strings.Contains(l, "new") || strings.Contains(l, "confirm") {
		return false
	}
	return l == "password" || l == "passwd" || l == "pwd" || l == "pass" || strings.HasPrefix(l, "current") && strings.Contains(l, "pass") || strings.HasPrefix(l, "old") && strings.Contains(l, "pass")
}

// registered are the flat fields of the account's registration body
// (JSON or a form).
func registered(acc *register.Account) map[string]string {
	out := map[string]string{}
	if acc.Request == nil {
		return out
	}
	var m map[string]any
	if json.Unmarshal(acc.Request.Body, &m) == nil {
		for k, v := range m {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
		return out
	}
	if vals, err := url.ParseQuery(string(acc.Request.Body)); err == nil {
		for k := range vals {
			out[k] = vals.Get(k)
		}
	}
	return out
}

// lookup is the first registered field whose name holds part.
func lookup(reg map[string]string, part string) (string, bool) {
	for k, v := range reg {
		if strings.Contains(strings.ToLower(k), part) && v != "" {
			return v, true
		}
	}
	return "", false
}
