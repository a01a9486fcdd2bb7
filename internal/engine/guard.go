package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
	pr "github.com/authprobe/authprobe/internal/probe/principal"
)

// The write guard: every state-changing request a check sends passes
// through Send, and Send lets it go only when the object it names (the
// last path parameter, an id-like query or body field) is one this scan
// created, an id it made up, or a throwaway identity's own value (an
// account the scan registered is one). Who sends it does not matter: a
// throwaway identity may be changed, not change others' objects. A request naming no object is a create and goes;
// its answer's ids join the scan's objects. Configured identities and
// their data are never changed.

// stateChanging: a method that may change what it is sent to.
func stateChanging(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// Made records a value (an object's id) the scan created: requests naming
// it may be sent. Checks call it (probe.Made) when they learn the id of
// an object they created from elsewhere than the create's answer (a
// listing, the request itself).
func (s *Scan) Made(v string) {
	if v == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made == nil {
		s.made = map[string]bool{}
	}
	s.made[v] = true
}

func (s *Scan) isMade(v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.made[v]
}

// guardWrite returns why a state-changing request may not be sent ("" when
// it may), and whether it is a create (names no object).
func (s *Scan) guardWrite(ep *inventory.Endpoint, req *httpx.Request, creds identity.Creds) (string, bool) {
	// A GET carrying a body (a handler reading the object it acts on from
	// JSON, tasks-basic's GET /taskdone) may change what it names too.
	bodied := strings.EqualFold(req.Method, http.MethodGet) && len(req.Body) > 0
	if !stateChanging(req.Method) && !bodied || s.isLogin(ep) {
		return "", false
	}
	named := namedObjects(ep, req, s.eps)
	if len(named) == 0 {
		return "", true
	}
	for _, n := range named {
		if s.isMade(n.value) || s.throwawayValue(n.value) {
			continue
		}
		path := req.URL
		if u, err := url.Parse(req.URL); err == nil {
			path = u.Path
		}
		return fmt.Sprintf("%s %s: not sent: would change %s=%s that the scan did not create", req.Method, path, n.name, n.value), false
	}
	return "", false
}

// isLogin: ep is an identity's login route (a login that names its user
// in the path changes nothing).
func (s *Scan) isLogin(ep *inventory.Endpoint) bool {
	if ep == nil {
		return false
	}
	for _, id := range s.opt.Identities {
		if route, _ := pr.LoginRoute(id.Login, s.opt.Inventory); route != nil && route.Path == ep.Path && route.Method == ep.Method {
			return true
		}
	}
	return false
}

// throwawayValue: v is one of a throwaway identity's own values (its id,
// user name): its record may change.
func (s *Scan) throwawayValue(v string) bool {
	for _, id := range s.opt.Identities {
		if !id.Throwaway {
			continue
		}
		for _, own := range pr.Of(id, s.creds[id.Name]).IDs() {
			if own == v {
				return true
			}
		}
	}
	return false
}

// learnMade records the id a create's 2xx answer gives its new object: an
// id field of the object (one envelope deep, never a list) that names what
// the create's path names (id, task-id on /addtask; never user_id), and
// its Location.
func (s *Scan) learnMade(rawURL string, status int, header http.Header, body []byte) {
	if status/100 != 2 {
		return
	}
	path := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		path = u.Path
	}
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		s.learnObject(m, strings.ToLower(path), 2)
	}
	if loc := header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			segs := strings.Split(strings.TrimRight(u.Path, "/"), "/")
			s.Made(segs[len(segs)-1])
		}
	}
}

func (s *Scan) learnObject(m map[string]any, path string, depth int) {
	for k, v := range m {
		switch t := v.(type) {
		case map[string]any:
			if depth > 1 {
				s.learnObject(t, path, depth-1)
			}
		default:
			// The object's own id, not a reference beside it (the
			// user_id of a new note is its owner's, a configured
			// identity's).
			if namesObject(k, path) {
				s.Made(idValue(v))
			}
		}
	}
}

// errNotCreated is the answer of a write the guard kept back.
var errNotCreated = errors.New("not sent: it would change an object the scan did not create")
