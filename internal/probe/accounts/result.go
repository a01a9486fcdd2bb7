package accounts

import (
	"encoding/json"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// PrivilegedFor is Privileged plus the fields an admin identity's own login
// answer and token show set (true, or a value naming admin): what this API
// calls privilege, observed rather than guessed.
func PrivilegedFor(ids []*identity.Identity, creds func(*identity.Identity) identity.Creds) map[string]any {
	out := map[string]any{}
	for k, v := range Privileged {
		out[k] = v
	}
	for _, id := range ids {
		if !id.Admin() {
			continue
		}
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
			for k, v := range flagsOf(src) {
				out[k] = v
			}
		}
	}
	return out
}

// flagsOf are the fields of a record (and of the records it holds) that
// are set: true, or a string naming admin.
func flagsOf(m map[string]any) map[string]any {
	out := map[string]any{}
	var walk func(map[string]any, int)
	walk = func(m map[string]any, d int) {
		if d > 3 {
			return
		}
		for k, v := range m {
			switch t := v.(type) {
			case bool:
				if t && !principal.IsIdentityKey(k) {
					out[k] = true
				}
			case string:
				if strings.Contains(strings.ToLower(t), "admin") && !principal.IsIdentityKey(k) {
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
}

// From returns the registration result of the scan env belongs to.
func From(env interface{}) *Result {
	if r, ok := env.(interface{ Registration() *Result }); ok {
		return r.Registration()
	}
	return nil
}
