package authz

import (
	"sort"
	"strings"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/probe/principal"
)

// selfKeys name the fields a user's own record is known by: a listed
// object whose owner field is one of them, with no field pointing at
// another owner (user_id, author...), is the principal's record itself,
// not an object it owns.
var selfKeys = map[string]bool{"username": true, "email": true, "login": true, "handle": true, "mail": true,
	"emailaddress": true, "preferredusername": true}

// nameKeys are a record's display names, public wherever the record is
// listed at all.
var nameKeys = map[string]bool{"name": true, "displayname": true, "fullname": true, "firstname": true, "lastname": true, "nickname": true}

// selfRecord: o is a principal's own record (a row of a user list).
func selfRecord(o principal.Object) bool {
	if strings.Contains(o.OwnerKey, ".") || !selfKeys[principal.Norm(o.OwnerKey)] {
		return false
	}
	for k := range o.Fields {
		if n := principal.Norm(k); principal.IsOwnerKey(k) && !selfKeys[n] && n != "uid" && n != "sub" {
			return false
		}
	}
	return true
}

// recordWeight weighs what other accounts' records show a member beyond
// the ids and names they are listed by: nothing else is a directory (low:
// who has an account), an e-mail address besides is contact data the
// owner gave the API, not its peers (medium), and any other field keeps
// the rule's weight (a hash, a flag, a note: what it is is not guessed
// from its name, so it is never weighed down).
func recordWeight(objs []principal.Object) (finding.Severity, []string) {
	sev := finding.Low
	extra := map[string]bool{}
	for _, o := range objs {
		for k, v := range o.Fields {
			n := principal.Norm(k)
			switch {
			case n == "email" || n == "mail" || n == "emailaddress" || isEmail(v):
				extra[k] = true
				if sev == finding.Low {
					sev = finding.Medium
				}
			case principal.IsIdentityKey(k) || nameKeys[n]:
			default:
				extra[k] = true
				sev = ""
			}
		}
	}
	out := make([]string, 0, len(extra))
	for k := range extra {
		out = append(out, k)
	}
	sort.Strings(out)
	return sev, out
}

func isEmail(v any) bool {
	s, ok := v.(string)
	return ok && strings.Count(s, "@") == 1 && strings.Contains(s[strings.Index(s, "@"):], ".") && !strings.ContainsAny(s, " /")
}
