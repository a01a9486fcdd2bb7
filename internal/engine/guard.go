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
	"github.com/authprobe/authprobe/internal/probe"
	pr "github.com/authprobe/authprobe/internal/probe/principal"
)

// The write guard: every state-changing request a check sends passes
// through Send, and Send lets it go only when the object it names (the
// last path parameter, an id-like query or body field) is one this scan
// created in that collection (collections.go: an id made in /notes does
// not open /users/{same id}), an id it made up, or a throwaway identity's
// own value on an account's record (an account the scan registered is
// one). Who sends it does not matter there: a throwaway identity may be
// changed, not change others' objects.
//
// A POST naming no object is a create and goes; its answer's ids join the
// scan's objects. A PUT, PATCH or DELETE naming no object changes the
// sender's own record (PUT /api/me, PATCH /profile): only a throwaway
// identity (an account the scan made is one) may send it, and it creates
// nothing; on a collection with members (DELETE /items beside
// /items/{name}) it would change everyone's objects and is never sent.
// Configured identities and their data are never changed.

// stateChanging: a method that may change what it is sent to.
func stateChanging(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// Made records a value the scan made up or created, valid in any
// collection: requests naming it may be sent. Checks call it (probe.Made)
// for names nobody else can hold (a fresh name, a made-up id).
func (s *Scan) Made(v string) { s.MadeIn("", v) }

// MadeIn records the id of an object the scan created in the collection
// where names (a path: "/api/notes", "POST /addtask"'s "/addtask"):
// requests naming it there may be sent. Checks call it (probe.MadeIn) when
// they learn the id from elsewhere than the create's answer (a listing).
func (s *Scan) MadeIn(where, v string) {
	if v == "" {
		return
	}
	c := ""
	if where != "" {
		c = collectionOf(where)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.made == nil {
		s.made = map[string]map[string]bool{}
	}
	if s.made[v] == nil {
		s.made[v] = map[string]bool{}
	}
	s.made[v][c] = true
}

// isMade: the scan created v in collection in (or anywhere).
func (s *Scan) isMade(v, in string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.made[v] {
		if sameCollection(c, in) {
			return true
		}
	}
	return false
}

// guardWrite returns why a state-changing request may not be sent ("" when
// it may), and whether it is a create (names no object). creds are the
// sender's: they decide a write to the sender's own record.
func (s *Scan) guardWrite(ep *inventory.Endpoint, req *httpx.Request, creds identity.Creds) (string, bool) {
	// A GET carrying a body (a handler reading the object it acts on from
	// JSON, tasks-basic's GET /taskdone) may change what it names too.
	bodied := strings.EqualFold(req.Method, http.MethodGet) && len(req.Body) > 0
	if !stateChanging(req.Method) && !bodied || s.isLogin(ep) {
		return "", false
	}
	path := req.URL
	if u, err := url.Parse(req.URL); err == nil {
		path = u.Path
	}
	named := namedObjects(ep, req, s.eps)
	if len(named) == 0 {
		if strings.EqualFold(req.Method, http.MethodPost) || bodied {
			return "", true
		}
		if s.carriesMade(req, path) {
			return "", false // DELETE /api/keys?key=<the key the scan minted>
		}
		if ep != nil && probe.Reserved(ep, s.opt.Settings.Flows) {
			// Logout, refresh, password and registration endpoints are
			// the lifecycle checks', which choose the sessions and
			// accounts they may change (a fresh login, a throwaway).
			return "", false
		}
		return s.guardOwnRecord(ep, req.Method, path, creds), false
	}
	for _, n := range named {
		if s.isMade(n.value, n.in) || s.throwawayValue(n) {
			continue
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

// throwawayValue: n is one of a throwaway identity's own values (its id,
// user name) naming an account's record (an identity field, or a
// collection of accounts or none known): that record may change. The same
// number in /notes names someone's note.
func (s *Scan) throwawayValue(n named) bool {
	k := pr.Norm(n.name)
	if n.in != "" && !pr.IsAccountCollection(n.in) && (k == "id" || k == "pk" || !pr.IsIdentityKey(n.name)) {
		return false
	}
	for _, id := range s.opt.Identities {
		if !id.Throwaway {
			continue
		}
		for _, own := range pr.Of(id, s.creds[id.Name]).IDs() {
			if own == n.value {
				return true
			}
		}
	}
	return false
}

// learnMade records the id a create's 2xx answer gives its new object, in
// the create's collection (where: its route): an id field of the object
// (one envelope deep, never a list) that names what the create's path
// names (id, task-id on /addtask; never user_id), and its Location.
func (s *Scan) learnMade(where, rawURL string, status int, header http.Header, body []byte) {
	if status/100 != 2 {
		return
	}
	path := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		path = u.Path
	}
	if where == "" {
		where = path
	}
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		s.learnObject(m, strings.ToLower(path), where, 2)
	}
	if loc := header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			segs := strings.Split(strings.TrimRight(u.Path, "/"), "/")
			s.MadeIn(strings.Join(segs[:len(segs)-1], "/"), segs[len(segs)-1])
		}
	}
}

func (s *Scan) learnObject(m map[string]any, path, where string, depth int) {
	for k, v := range m {
		switch t := v.(type) {
		case map[string]any:
			if depth > 1 {
				s.learnObject(t, path, where, depth-1)
			}
		default:
			// The object's own id, not a reference beside it (the
			// user_id of a new note is its owner's, a configured
			// identity's).
			if namesObject(k, path) {
				s.MadeIn(where, idValue(v))
			}
		}
	}
}

// errNotCreated is the answer of a write the guard kept back.
var errNotCreated = errors.New("not sent: it would change an object the scan did not create")
