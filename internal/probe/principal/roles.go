package principal

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/authprobe/authprobe/internal/oracle"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// privilegeKeys name the fields of a user record that say what it may do.
var privilegeKeys = map[string]bool{
	"role": true, "roles": true, "usertype": true, "group": true, "groups": true,
	"isadmin": true, "admin": true, "issuperuser": true, "superuser": true, "isstaff": true, "staff": true,
}

// Privilege reads what a record says of its principal's privilege: an
// administrator (an admin or staff flag set, a role naming one), a plain
// principal (the flag unset, another role), or nothing (ok false).
func Privilege(fields map[string]any) (admin, ok bool) {
	for k, v := range fields {
		if !privilegeKeys[Norm(k)] {
			continue
		}
		switch t := v.(type) {
		case bool:
			if t {
				return true, true
			}
			admin, ok = false, true
		case string, []any:
			l := strings.ToLower(fmt.Sprint(t))
			if strings.Contains(l, "admin") || strings.Contains(l, "superuser") || strings.Contains(l, "staff") || strings.Contains(l, "root") {
				return true, true
			}
			if l != "" {
				admin, ok = false, true
			}
		}
	}
	return admin, ok
}

// ObservedAdmins names the identities the API itself shows as
// administrators: in the answers the identities are served, each
// identity's own record (its owner field holds one of its values) says
// what it may do, and at least one other identity's record says it is a
// plain principal. A role split only counts when both sides are seen: one
// record alone says nothing of who is privileged.
func ObservedAdmins(env probe.Env, selves []*Self) map[string]bool {
	said := map[string]bool{}
	for _, ep := range env.Endpoints() {
		if ep.Method != http.MethodGet {
			continue
		}
		for _, c := range env.Matrix(ep) {
			if c.Variant != slots.CellIdentity || !served(c) {
				continue
			}
			for _, o := range Objects(c.Outcome.Sample.Body) {
				s := Whose(o, selves)
				if s == nil {
					continue
				}
				if admin, ok := Privilege(o.Fields); ok {
					said[s.Name] = said[s.Name] || admin
				}
			}
		}
	}
	out := map[string]bool{}
	plain := false
	for _, a := range said {
		plain = plain || !a
	}
	if !plain {
		return out
	}
	for name, a := range said {
		if a {
			out[name] = true
		}
	}
	return out
}

// ReachAdmins names the identities the auth matrix shows as privileged by
// what they reach: on a GET endpoint without path parameters that refuses
// anonymous requests, the identity is served while every other identity
// sent there (at least one) is refused — an admin-only listing its
// members are turned away from. An identity served where another is
// served too learns nothing; so does one endpoint served to two.
func ReachAdmins(env probe.Env) map[string]string {
	out := map[string]string{}
	for _, ep := range env.Endpoints() {
		if ep.Method != http.MethodGet || strings.Contains(ep.Path, "{") {
			continue
		}
		var in []string
		refused, anon := 0, false
		for _, c := range env.Matrix(ep) {
			switch {
			case c.Variant == slots.CellAnonymous:
				anon = c.Verdict() == oracle.Rejected
			case c.Variant != slots.CellIdentity || c.Identity == "" || c.Key != c.Identity:
			case c.Verdict() == oracle.Accepted && served(c):
				in = append(in, c.Identity)
			case c.Verdict() == oracle.Rejected:
				refused++
			}
		}
		if !anon || len(in) != 1 || refused == 0 {
			continue
		}
		if _, seen := out[in[0]]; !seen {
			out[in[0]] = fmt.Sprintf("alone served %s, which %d other identities are refused", ep.Key(), refused)
		}
	}
	return out
}

// Admins names the identities whose reading or changing of others'
// objects is their role, not a flaw: those the config gives role admin;
// without any, those the API's records show as administrators
// (ObservedAdmins) and those the matrix shows reaching what every other
// identity is refused (ReachAdmins). Each is mapped to why.
func Admins(ctx context.Context, env probe.Env) map[string]string {
	out := map[string]string{}
	for _, id := range env.Identities() {
		if id.Admin() {
			out[id.Name] = "role admin in the config"
		}
	}
	if len(out) > 0 {
		return out
	}
	for name := range ObservedAdmins(env, Selves(ctx, env)) {
		out[name] = "its own record says administrator, another's a plain role"
	}
	for name, why := range ReachAdmins(env) {
		if _, ok := out[name]; !ok {
			out[name] = why
		}
	}
	return out
}
