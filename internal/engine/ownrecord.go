package engine

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// A write naming no object (guard.go): one to the sender's own record,
// one carrying an object the scan made under a name that is no id, or a
// collection-wide one.

// guardOwnRecord decides a PUT, PATCH or DELETE naming no object: a write
// to the sender's own record, sent only by a throwaway identity and
// recorded as such; never a collection-wide one.
func (s *Scan) guardOwnRecord(ep *inventory.Endpoint, method, path string, creds identity.Creds) string {
	if ep != nil && hasMembers(ep.Path, s.eps) {
		return fmt.Sprintf("%s %s: not sent: it names no object on a collection with members, so it would change every object of it", method, path)
	}
	who, throwaway := s.throwawaySender(creds)
	if throwaway {
		if s.First("own record " + method + " " + path + " " + who) {
			s.Note(fmt.Sprintf("writes: %s %s names no object: sent as a write to the sender's own record, by %s (throwaway) only", method, path, who))
		}
		return ""
	}
	return fmt.Sprintf("%s %s: not sent: it names no object, so it would change the sender's own record (%s): only a throwaway identity or an account the scan made may send it", method, path, who)
}

// carriesMade: a query or body value of req (one envelope deep) is an
// object the scan created in path's collection: the write names it under
// a name that is no id (?key= of DELETE /api/keys).
func (s *Scan) carriesMade(req *httpx.Request, path string) bool {
	in := collectionOf(path)
	if u, err := url.Parse(req.URL); err == nil {
		for _, vs := range u.Query() {
			for _, v := range vs {
				if s.isMade(v, in) {
					return true
				}
			}
		}
	}
	var body map[string]any
	if json.Unmarshal(req.Body, &body) != nil {
		return false
	}
	for _, v := range body {
		if inner, ok := v.(map[string]any); ok && len(body) == 1 {
			for _, w := range inner {
				if sv := idValue(w); sv != "" && s.isMade(sv, in) {
					return true
				}
			}
		}
		if sv := idValue(v); sv != "" && s.isMade(sv, in) {
			return true
		}
	}
	return false
}

// throwawaySender names who sends creds, and whether that is a throwaway
// identity: a configured or registered one by its credentials, or a fresh
// login of a throwaway account (loggedIn). Forged or mixed credentials are
// nobody's own.
func (s *Scan) throwawaySender(creds identity.Creds) (string, bool) {
	who := s.whoIs(creds)
	for _, id := range s.opt.Identities {
		if id.Name == who {
			return who, id.Throwaway
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name := ""
	for _, v := range creds.Secrets() {
		if v == "" {
			continue
		}
		n := s.throwawaySecrets[v]
		if n == "" || name != "" && n != name {
			return who, false
		}
		name = n
	}
	if name == "" {
		return who, false
	}
	return name, true
}

// loggedIn is the session's OnLogin: a throwaway identity's fresh
// credentials are recorded as its own.
func (s *Scan) loggedIn(id *identity.Identity, c identity.Creds) {
	if !id.Throwaway {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range c.Secrets() {
		if v != "" {
			s.throwawaySecrets[v] = id.Name
		}
	}
}

// hasMembers: the route has members under it (/items/{name} beside
// /items).
func hasMembers(path string, eps []*inventory.Endpoint) bool {
	return collection(path, strings.Split(strings.Trim(path, "/"), "/"), eps)
}
