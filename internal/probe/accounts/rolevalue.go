package accounts

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// maxRoleValues bounds the values of a required privilege field tried at
// registration (each a request, an account when taken).
const maxRoleValues = 6

// RoleField is the privilege field the registration's own body names
// (config bodies:, the handler's code, the spec): a field of Privileged
// the registration reads, which it may need for every account (a role id
// looked up for each new user). "" when the body names none.
func RoleField(body map[string]any) string {
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for p := range Privileged {
			if norm(k) == norm(p) {
				return k
			}
		}
	}
	return ""
}

// RoleValues are the values tried for field k when the registration takes
// no account without it, in order: the values the configured identities'
// login answers and tokens hold under that name (what this API calls its
// roles), then small integers (a role named by its row id, which no
// answer lists). Which value is privileged is never assumed: each account
// made is compared with a configured member by the matrix.
func RoleValues(k string, ids []*identity.Identity, creds func(*identity.Identity) identity.Creds) []any {
	var out []any
	seen := map[string]bool{}
	add := func(v any) {
		key := fmt.Sprintf("%T:%v", v, v)
		if len(out) < maxRoleValues && !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	n := norm(k)
	for _, id := range ids {
		var srcs [][]byte
		srcs = append(srcs, id.LoginAnswer())
		for _, v := range creds(id).Secrets() {
			if c := principal.Claims(v); c != nil {
				b, _ := json.Marshal(c)
				srcs = append(srcs, b)
			}
		}
		for _, b := range srcs {
			switch v := flags(b)[n].(type) {
			case string:
				if v != "" {
					add(v)
				}
			case float64:
				add(int(v))
			}
		}
	}
	for i := 1; len(out) < maxRoleValues && i <= maxRoleValues; i++ {
		add(i)
	}
	return out
}
