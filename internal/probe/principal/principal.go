// Package principal is the scan's model of who is who, learnt from what the
// API says rather than assumed: each identity's own values (what its login
// body, its token's claims, its login answer and its own profile answers say
// it is), the owner fields of the objects in answers matched against those
// values, and the ids of those objects. Field names are hints that choose
// where to look; a match of values decides.
package principal

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
	"github.com/authprobe/authprobe/internal/probe/slots"
)

// Self is what one identity is according to the API.
type Self struct {
	Name  string
	Admin bool
	// values maps a lower-cased value to where it was first learnt, keys
	// to every field name it was learnt under.
	values map[string]string
	keys   map[string][]string
}

// NewSelf returns an empty self for an identity name.
func NewSelf(name string) *Self { return &Self{Name: name, values: map[string]string{}} }

// Add records a value (string or number) the identity is known by. Values
// too short to tell anyone apart are ignored.
func (s *Self) Add(v any, from string) {
	str, ok := scalar(v)
	if !ok || len(str) < 1 || len(str) > 200 {
		return
	}
	k := strings.ToLower(str)
	if _, seen := s.values[k]; !seen {
		s.values[k] = from
	}
	if s.keys == nil {
		s.keys = map[string][]string{}
	}
	n := Norm(from[strings.LastIndexAny(from, " .")+1:])
	for _, have := range s.keys[k] {
		if have == n {
			return
		}
	}
	s.keys[k] = append(s.keys[k], n)
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

// Has reports whether v is one of the identity's values.
func (s *Self) Has(v any) bool {
	str, ok := scalar(v)
	if !ok {
		return false
	}
	_, ok = s.values[strings.ToLower(str)]
	return ok
}

// Values lists the identity's values, sorted.
func (s *Self) Values() []string {
	out := make([]string, 0, len(s.values))
	for v := range s.values {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Key returns the field name a value was learnt from ("user_id" for
// "token claim user_id"), normalized.
func (s *Self) Key(v string) string {
	from := s.values[strings.ToLower(v)]
	return Norm(from[strings.LastIndexAny(from, " .")+1:])
}

// IDs lists the values that look like object ids (numbers, UUIDs, handles
// without spaces), for trying as path parameters.
func (s *Self) IDs() []string {
	var out []string
	for _, v := range s.Values() {
		if !strings.ContainsAny(v, " @/") && len(v) <= 64 {
			out = append(out, v)
		}
	}
	return out
}

// scalar renders a JSON string or integer as a string.
func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t), strings.TrimSpace(t) != ""
	case float64:
		if t != float64(int64(t)) {
			return "", false
		}
		return strconv.FormatInt(int64(t), 10), true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// Norm lowers a field name and drops separators (probe.Norm): user_id,
// userId and user-id are all "userid".
func Norm(k string) string { return probe.Norm(k) }

// identityKeys name the fields that say who a principal is, in tokens,
// login bodies and profile answers.
var identityKeys = map[string]bool{
	"sub": true, "id": true, "userid": true, "uid": true, "username": true, "user": true, "login": true,
	"email": true, "mail": true, "emailaddress": true, "identity": true, "preferredusername": true,
	"accountid": true, "customerid": true, "memberid": true, "handle": true,
}

// IsIdentityKey reports whether a field name says who a principal is.
func IsIdentityKey(k string) bool { return identityKeys[Norm(k)] }

// Of builds an identity's self from its configuration and credentials:
// the user fields of its login body (or the user name of the Basic
// header it logs in with), the identity claims of any JWT among
// its credentials, and the record of its login answer that names it.
func Of(id *identity.Identity, creds identity.Creds) *Self {
	s := NewSelf(id.Name)
	s.Admin = id.Admin()
	if id.Login != nil {
		for _, path := range id.Login.JSON.Paths() {
			last := path[strings.LastIndex(path, ".")+1:]
			if !identityKeys[Norm(last)] && Norm(last) != "name" {
				continue
			}
			if v, ok := id.Login.JSON.Lookup(path); ok {
				s.Add(v, "login body "+path)
			}
		}
		for k, v := range id.Login.Form {
			if identityKeys[Norm(k)] || Norm(k) == "name" {
				s.Add(v, "login form "+k)
			}
		}
		// A login that buys its token with HTTP Basic names the user in
		// its Authorization header.
		for k, v := range id.Login.Header {
			r := &http.Request{Header: http.Header{"Authorization": {v}}}
			if u, _, ok := r.BasicAuth(); ok && strings.EqualFold(k, "Authorization") {
				s.Add(u, "login basic username")
			}
		}
	}
	// A credential that is HTTP Basic itself names the user too.
	for _, v := range creds.Headers {
		if u, _, ok := identity.ParseBasic(v); ok {
			s.Add(u, "basic username")
		}
	}
	for _, v := range creds.Secrets() {
		for k, c := range Claims(v) {
			if identityKeys[Norm(k)] || idClaim(k) {
				s.Add(c, "token claim "+k)
			}
			if m, ok := c.(map[string]any); ok { // flask-jwt-extended identity dicts
				for kk, cc := range m {
					if identityKeys[Norm(kk)] {
						s.Add(cc, "token claim "+k+"."+kk)
					}
				}
			}
		}
	}
	s.Learn(id.LoginAnswer(), "login answer")
	return s
}

// notPrincipal are the *id claims that name a token, a session or a client,
// not the user.
var notPrincipal = map[string]bool{"jti": true, "sid": true, "sessionid": true, "clientid": true, "cid": true,
	"appid": true, "kid": true, "tokenid": true, "refreshid": true, "deviceid": true, "requestid": true}

// idClaim: a token claim whose name ends in id (public_id, user_uuid is
// not one) other than the token's, session's or client's own: the ids a
// token carries are how the API knows its user, whatever the name.
func idClaim(k string) bool {
	n := Norm(k)
	return len(n) > 2 && strings.HasSuffix(n, "id") && !notPrincipal[n]
}

// Claims decodes a JWT's payload without verifying it (nil when v is not
// a JWT).
func Claims(v string) map[string]any {
	v = strings.TrimPrefix(strings.TrimSpace(v), "Bearer ")
	parts := strings.Split(v, ".")
	if len(parts) != 3 || !strings.HasPrefix(parts[0], "eyJ") {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// Learn adds the identity fields of every record in body that already
// names the identity (by one of its values in an identity field): a
// profile or login answer tells its id, e-mail and user name together.
func (s *Self) Learn(body []byte, from string) { s.learn(body, from, false) }

func (s *Self) learn(body []byte, from string, own bool) {
	var v any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return
	}
	walk(v, 0, func(m map[string]any) {
		named := false
		for k, x := range m {
			if (identityKeys[Norm(k)] || own && Norm(k) == "name") && s.Has(x) {
				named = true
				break
			}
		}
		if !named {
			return
		}
		for k, x := range m {
			if identityKeys[Norm(k)] {
				s.Add(x, from+" "+k)
			}
		}
	})
}

// walk calls f on every JSON object in v, depth-first, to a bounded depth.
func walk(v any, depth int, f func(map[string]any)) {
	if depth > 10 {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		f(t)
		for _, k := range sortedKeys(t) {
			walk(t[k], depth+1, f)
		}
	case []any:
		for _, x := range t {
			walk(x, depth+1, f)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Selves builds every identity's self and teaches each the values its
// login path gives a route's placeholders (/shop/v1/{user_id}/login
// logged in as /shop/v1/101/login) and its own answers: the 2xx answers
// it got on GET endpoints without path parameters (a profile, /me, the
// login answer) that name it.
func Selves(ctx context.Context, env probe.Env) []*Self {
	var out []*Self
	for _, id := range env.Identities() {
		creds, err := id.Creds(ctx, env.Session())
		if err != nil {
			continue
		}
		s := Of(id, creds)
		s.LearnLoginPath(id.Login, env.Inventory())
		for _, ep := range env.Endpoints() {
			if ep.Method != http.MethodGet {
				continue
			}
			cells := env.Matrix(ep)
			for _, c := range cells {
				if c.Variant != slots.CellIdentity || c.Identity != id.Name || !served(c) {
					continue
				}
				switch {
				case !strings.Contains(ep.Path, "{"):
					s.Learn(c.Outcome.Sample.Body, fmt.Sprintf("%s answer", ep.Key()))
				case refusedToOther(c, cells):
					s.LearnOwn(c.Outcome.Sample.Body, fmt.Sprintf("%s answer (its own: refused to another identity)", ep.Key()))
				}
			}
		}
		out = append(out, s)
	}
	return out
}

// Named returns the self of an identity name, or nil.
func Named(selves []*Self, name string) *Self {
	for _, s := range selves {
		if s.Name == name {
			return s
		}
	}
	return nil
}
