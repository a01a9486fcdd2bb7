package accounts

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// PrivilegedFor is Privileged plus the fields an admin identity's own login
// answer and token show that a non-admin identity's do not: a flag on
// that the others lack, a value that differs from theirs ("group":
// "admins" where a member has "users"). What this API calls privilege is
// observed, not guessed; only when no non-admin identity shows the field
// at all does a string naming admin stand in as the hint.
func PrivilegedFor(ids []*identity.Identity, creds func(*identity.Identity) identity.Creds) map[string]any {
	out := map[string]any{}
	for k, v := range Privileged {
		out[k] = v
	}
	var admins, others []map[string]any
	for _, id := range ids {
		var sources []map[string]any
		var m map[string]any
		if json.Unmarshal(id.LoginAnswer(), &m) == nil {
			sources = append(sources, m)
		}
		for _, v := range creds(id).Secrets() {
			if c := principal.Claims(v); c != nil {
				sources = append(sources, c)
			}
		}
		for _, src := range sources {
			if id.Admin() {
				admins = append(admins, fieldsOf(src))
			} else {
				others = append(others, fieldsOf(src))
			}
		}
	}
	for _, fs := range admins {
		for k, v := range fs {
			if privileged(k, v, others) {
				out[k] = v
			}
		}
	}
	return out
}

// privileged: an admin's field k with value v is one the non-admin
// identities do not share.
func privileged(k string, v any, others []map[string]any) bool {
	shown := false
	for _, o := range others {
		ov, ok := o[k]
		if !ok {
			continue
		}
		shown = true
		if fmt.Sprint(ov) == fmt.Sprint(v) {
			return false
		}
	}
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return shown || strings.Contains(strings.ToLower(t), "admin")
	case float64:
		return shown
	}
	return false
}

// fieldsOf are the scalar fields of a record and of the records it holds
// (to depth 3), identity fields left out: who someone is is no privilege.
func fieldsOf(m map[string]any) map[string]any {
	out := map[string]any{}
	var walk func(map[string]any, int)
	walk = func(m map[string]any, d int) {
		if d > 3 {
			return
		}
		for k, v := range m {
			switch t := v.(type) {
			case bool, string, float64:
				if !principal.IsIdentityKey(k) && !reservedClaim[k] {
					out[k] = t
				}
			case map[string]any:
				walk(t, d+1)
			}
		}
	}
	walk(m, 0)
	return out
}

// reservedClaim are JWT registered claims and session bookkeeping: they
// differ between any two tokens and say nothing of privilege.
var reservedClaim = map[string]bool{"exp": true, "iat": true, "nbf": true, "jti": true, "iss": true, "aud": true,
	"type": true, "fresh": true, "csrf": true, "token_type": true, "access_token": true, "refresh_token": true, "token": true}

// Privileged are the fields a client must never set at registration, and
// the order they are tried one by one when the set is refused whole.
var (
	Privileged = map[string]any{
		"is_admin": true, "admin": true, "role": "admin", "roles": []any{"admin"},
		"permissions": []any{"admin"}, "is_staff": true, "is_superuser": true,
	}
	PrivilegedOrder = []string{"is_admin", "admin", "role", "roles", "permissions", "is_staff", "is_superuser"}
)

// Result is what the engine learnt registering accounts.
type Result struct {
	Registrar *Registrar
	// Accounts lists every account made, in order.
	Accounts []*Account
	// Plain are the accounts that logged in and joined the scan.
	Plain []*Account
	// Fresh is the first account registered (logged in or not): the
	// reference answer of a new name.
	Fresh *Account
	// Privileged logged in after registering with privileged fields.
	Privileged *Account
	// DupRequest and DupAnswer: a second registration of Fresh's name.
	DupRequest *httpx.Request
	DupAnswer  *httpx.Response
	// Refused is set when no account registered: the registration's
	// answer to a fresh name (the reference), and TakenBy the configured
	// identity whose name DupRequest registered again.
	Refused *httpx.Response
	TakenBy string
	// Chosen are accounts registered with a value of a privilege field
	// the registration takes no account without (RoleField): kept apart,
	// each compared with a configured member by the registration check.
	Chosen []*Account
}

// From returns the registration result of the scan env belongs to.
func From(env interface{}) *Result {
	if r, ok := env.(interface{ Registration() *Result }); ok {
		return r.Registration()
	}
	return nil
}
