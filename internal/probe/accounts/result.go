package accounts

import "github.com/authprobe/authprobe/internal/httpx"

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
