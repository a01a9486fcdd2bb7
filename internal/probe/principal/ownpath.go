package principal

import (
	"strings"

	"github.com/authprobe/authprobe/internal/probe/reqbody"
)

// accountCollections name collections whose items are principals: the
// generic {id} of /api/users/{id} is a user's id there, and takes a
// token's sub as a {user_id} does.
var accountCollections = map[string]bool{"user": true, "account": true, "member": true, "customer": true,
	"profile": true, "player": true, "employee": true, "student": true, "person": true, "people": true}

// IsAccountCollection: the items of a collection with this (singular)
// noun are principals (user, account, member).
func IsAccountCollection(noun string) bool { return accountCollections[noun] }

// ParamName is the name a placeholder of path stands for when own values
// fill it: its own (normalized), or "userid" for a generic {id}, {pk} or
// {uid} right after a collection of accounts (/api/users/{id},
// /members/{pk}/password).
func ParamName(path, name string) string {
	n := Norm(name)
	if n != "id" && n != "pk" && n != "uid" {
		return n
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if s != "{"+name+"}" || i == 0 {
			continue
		}
		prev := strings.ToLower(segs[i-1])
		if one := reqbody.Singular(prev); one != "" {
			prev = one
		}
		if accountCollections[prev] {
			return "userid"
		}
	}
	return n
}
