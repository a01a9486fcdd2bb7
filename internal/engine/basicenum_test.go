package engine

import (
	"net/http"
	"testing"

	"github.com/authprobe/authprobe/internal/finding"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/probe"
)

// basicEnumAPI is a login that takes HTTP Basic credentials and answers an
// unknown user with unknown (status, body), a wrong password with 401.
type basicEnumAPI struct {
	path    string
	unknown func(w http.ResponseWriter)
	tok     string
}

func (a *basicEnumAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == a.path && r.Method == http.MethodPost {
		user, pw, ok := r.BasicAuth()
		switch {
		case !ok:
			http.Error(w, "Could not verify", http.StatusUnauthorized)
		case user != "alice" && user != "bobby":
			a.unknown(w)
		case pw == user+"-pw-1":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"token":"` + a.tok + `"}`))
		default:
			http.Error(w, "Could not verify", http.StatusUnauthorized)
		}
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+a.tok {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Write([]byte(`{"user":"alice"}`))
}

func scanBasicEnum(t *testing.T, api *basicEnumAPI) []finding.Finding {
	t.Helper()
	api.tok = validToken(t)
	id := &identity.Identity{Name: "alice", Login: &identity.Login{Method: "POST", URL: api.path,
		Header: map[string]string{"Authorization": "Basic YWxpY2U6YWxpY2UtcHctMQ=="}, Token: "token"}}
	return runCheck(t, api, "GET /api/me", []*identity.Identity{id}, "account.enumeration", probe.Settings{}).Findings
}

func enumerationOn(fs []finding.Finding, ep string) bool {
	for _, f := range fs {
		if f.Rule == "account.user-enumeration" && f.Endpoint != nil && f.Endpoint.String() == ep {
			return true
		}
	}
	return false
}

// TestEnumerationBasicLogin: a login that takes HTTP Basic credentials is
// an account of the lifecycle checks: an unknown user answered apart from a
// wrong password is enumeration, whether the tell is a 404 JSON error or
// an empty 204 (a served answer that logs nobody in); the twin answering
// both alike yields nothing.
func TestEnumerationBasicLogin(t *testing.T) {
	notFound := &basicEnumAPI{path: "/api/tokens", unknown: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"no such user"}`))
	}}
	if fs := scanBasicEnum(t, notFound); !enumerationOn(fs, "POST /api/tokens") {
		t.Fatalf("no enumeration finding on a Basic login answering 404 for unknown users: %+v", fs)
	}
	noContent := &basicEnumAPI{path: "/login", unknown: func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }}
	if fs := scanBasicEnum(t, noContent); !enumerationOn(fs, "POST /login") {
		t.Fatalf("no enumeration finding on a Basic login answering 204 for unknown users: %+v", fs)
	}
	same := &basicEnumAPI{path: "/login", unknown: func(w http.ResponseWriter) { http.Error(w, "Could not verify", http.StatusUnauthorized) }}
	if fs := scanBasicEnum(t, same); len(fs) != 0 {
		t.Fatalf("a Basic login answering unknown users like wrong passwords reported: %+v", fs)
	}
	loggedIn := &basicEnumAPI{path: "/login", unknown: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"token":"t-for-anyone"}`))
	}}
	if fs := scanBasicEnum(t, loggedIn); enumerationOn(fs, "POST /login") {
		t.Fatalf("a made-up user given a token was read as an enumeration tell: %+v", fs)
	}
}
