package principal

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// LoginRoute returns the inventory endpoint an identity's login URL is an
// instance of (POST /shop/v1/{user_id}/login for /shop/v1/101/login) and
// the values the URL gives its placeholders: an API that takes the user in
// the login's path says there who the identity is. Nil when the login is
// not configured or no endpoint of that method matches its path. The
// inventory is the whole one: login routes are not among the endpoints
// the checks probe.
func LoginRoute(l *identity.Login, inv *inventory.Inventory) (*inventory.Endpoint, map[string]string) {
	if l == nil || inv == nil {
		return nil, nil
	}
	u, err := url.Parse(l.URL)
	if err != nil || u.Path == "" {
		return nil, nil
	}
	method := strings.ToUpper(l.Method)
	if method == "" {
		method = http.MethodPost
	}
	return inventory.Instance(inv.Endpoints, method, u.EscapedPath())
}

// LearnLoginPath adds the values the identity's login path gives the
// placeholders of the route it is an instance of.
func (s *Self) LearnLoginPath(l *identity.Login, inv *inventory.Inventory) {
	ep, vals := LoginRoute(l, inv)
	if ep == nil {
		return
	}
	for name, v := range vals {
		s.Add(v, "login path "+name)
	}
}

// principalIDs are the normalized names of a principal's id: a
// placeholder named by one ({user_id}) takes a value learnt under another
// (a token's sub, a login path's uid, a profile's id).
var principalIDs = map[string]bool{"sub": true, "id": true, "uid": true, "userid": true, "accountid": true,
	"customerid": true, "memberid": true, "ownerid": true, "profileid": true}

// Fills reports whether a value learnt under the (normalized) key fits a
// placeholder of the (normalized) name: the same name, or two names of a
// principal's id ({user_id} and a token's sub). A generic {id} takes only
// a value learnt as id: it may name any object.
func Fills(param, key string) bool {
	if param == key {
		return true
	}
	return param != "id" && principalIDs[param] && principalIDs[key]
}

// FillsParam reports whether v, under any of the field names it was learnt
// from (the id 3 an answer shows beside the token's sub 3), fits a
// placeholder of the (normalized) name (Fills).
func (s *Self) FillsParam(param, v string) bool {
	for _, k := range s.keys[strings.ToLower(v)] {
		if Fills(param, k) {
			return true
		}
	}
	return false
}
