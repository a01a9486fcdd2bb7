package inventory

import (
	"strings"
	"testing"
)

func TestSideEffect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		method, path, summary string
		want                  bool
	}{
		{"GET", "/createdb", "", true},
		{"GET", "/api/admin/reset", "", true},
		{"GET", "/api/resetDb", "", true},
		{"GET", "/api/users/logout", "", true},
		{"GET", "/api/maintenance", "Purge the cache", true},
		{"GET", "/api/setup/db", "", true},
		{"GET", "/api/tools", "Create the database tables", true},
		{"GET", "/api/articles", "List articles", false},
		{"GET", "/api/initiatives", "", false},
		{"GET", "/api/password/{reset_token}", "", false},
		{"GET", "/api/removals-report", "", false},
		{"POST", "/api/reset", "", false}, // writes are gated elsewhere
		{"GET", "/del_items", "", true},
		{"GET", "/api/files/rm/{name}", "", true},
		{"GET", "/api/models", "", false},
		{"GET", "/report-closed/{id}", "", false}, // the path says nothing: the code may (Changes)
	}
	for _, c := range cases {
		_, got := SideEffect(Endpoint{Method: c.method, Path: c.path, Summary: c.summary})
		if got != c.want {
			t.Errorf("SideEffect(%s %s %q) = %v, want %v", c.method, c.path, c.summary, got, c.want)
		}
	}
	if why, ok := SideEffect(Endpoint{Method: "GET", Path: "/report-closed/{id}", Changes: "the handler calls session.delete at main.py:128"}); !ok || !strings.Contains(why, "main.py:128") {
		t.Errorf("a GET the code shows deleting: %q %v", why, ok)
	}
}

func TestExclusion(t *testing.T) {
	t.Parallel()
	e, err := ParseExclusion("GET /api/maintenance/*")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/api/maintenance/x": true, "/api/maintenance/x/y": true, "/api/maintenancex": false} {
		if got := e.Matches(Endpoint{Method: "GET", Path: path}); got != want {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
	if e.Matches(Endpoint{Method: "POST", Path: "/api/maintenance/x"}) {
		t.Error("method ignored")
	}
	any, _ := ParseExclusion("/createdb")
	if !any.Matches(Endpoint{Method: "POST", Path: "/createdb"}) {
		t.Error("a bare glob must cover every method")
	}
	for _, bad := range []string{"GET", "FETCH /x", "GET x", "GET /[", "GET /a /b"} {
		if _, err := ParseExclusion(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
