package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/httpx"
	"github.com/authprobe/authprobe/internal/identity"
	"github.com/authprobe/authprobe/internal/inventory"
)

// keyAPI guards /cafes/{id} (a made-up id answers 404 past the gate) with a
// static key read from where, refusing others with 403 and msg.
func keyAPI(where, name, msg string, sent *[]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var got string
		switch where {
		case "query":
			got = r.URL.Query().Get(name)
		case "header":
			got = r.Header.Get(name)
		}
		*sent = append(*sent, r.URL.RawQuery+"|"+r.Header.Get("X-API-Key")+"|"+r.Header.Get("Authorization")+"|"+r.Header.Get(name))
		if got != "TopSecretKey" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(msg))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error": "no cafe with that id"}`))
	})
}

func inferKey(t *testing.T, h http.Handler, reads []Candidate) (*identity.Identity, []string) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	id := &identity.Identity{Name: "keyholder", Base: identity.Creds{Unplaced: "TopSecretKey"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/cafes/{cafe_id}"}}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id}, Reads: reads,
		Hints: []Candidate{{Use: "header:Authorization:JWT {token}", Why: "a JWT setting"}}})
	return id, notes
}

// A key configured without a place: the refusal that names api_key sends it
// to the query string, where it is let past the gate; the JWT setting is
// not tried for a key, and the key never appears in a note.
func TestInferKeyFromRefusal(t *testing.T) {
	t.Parallel()
	var sent []string
	id, notes := inferKey(t, keyAPI("query", "api_key", `{"error": "Make sure you have the correct api_key."}`, &sent), nil)
	if id.Base.Query["api_key"] != "TopSecretKey" || id.Base.Unplaced != "" || len(id.Base.Headers) != 0 || id.Base.Bearer != "" {
		t.Fatalf("creds %+v, notes %q", id.Base, notes)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "key sent as query:api_key") || !strings.Contains(notes[0], "let past the gate") || strings.Contains(notes[0], "TopSecretKey") {
		t.Errorf("notes %q", notes)
	}
	// The anonymous challenge, then the key once, where the refusal said.
	if len(sent) != 2 || !strings.Contains(sent[1], "api_key=TopSecretKey") {
		t.Errorf("requests %q", sent)
	}
}

// A bare 403 names nothing: the source's read of a header is tried first;
// without it the common key header, the Authorization default and the
// common parameter come in turn, each once, until one is served.
func TestInferKeyFromReadsAndDefaults(t *testing.T) {
	t.Parallel()
	var sent []string
	id, notes := inferKey(t, keyAPI("header", "Api-Key", `forbidden`, &sent), []Candidate{{Use: "header:Api-Key", Why: "the source auth.py:7 reads header \"Api-Key\""}})
	if id.Base.Headers["Api-Key"] != "TopSecretKey" || len(sent) != 2 || !strings.Contains(notes[0], "auth.py:7") {
		t.Errorf("with the read: creds %+v, requests %q, notes %q", id.Base, sent, notes)
	}
	sent = nil
	id, notes = inferKey(t, keyAPI("query", "api_key", `forbidden`, &sent), nil)
	if id.Base.Query["api_key"] != "TopSecretKey" || len(sent) != 5 {
		t.Errorf("defaults: creds %+v, requests %q, notes %q", id.Base, sent, notes)
	}
	if !strings.Contains(sent[1], "|TopSecretKey|") || !strings.Contains(sent[2], "Bearer TopSecretKey") {
		t.Errorf("defaults in order X-API-Key, Bearer, Authorization, api_key: %q", sent)
	}
	// Nothing served: the best-supported place is kept and said unconfirmed.
	sent = nil
	id, notes = inferKey(t, keyAPI("header", "X-Secret", `forbidden`, &sent), nil)
	if id.Base.Headers["X-API-Key"] != "TopSecretKey" || !strings.Contains(notes[0], "not confirmed") {
		t.Errorf("nothing served: creds %+v, notes %q", id.Base, notes)
	}
}

// The names of the places inference tries are public: a key that is part
// of its parameter's name (a read of query "TopSecretKey_param") leaves
// the name readable in the note, and the value is still hidden.
func TestInferDeclaresPlaceNames(t *testing.T) {
	t.Parallel()
	var sent []string
	srv := httptest.NewServer(keyAPI("query", "TopSecretKey_param", `forbidden`, &sent))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
	if err != nil {
		t.Fatal(err)
	}
	client.Redactor.Add("TopSecretKey")
	id := &identity.Identity{Name: "keyholder", Base: identity.Creds{Unplaced: "TopSecretKey"}}
	inv := &inventory.Inventory{Endpoints: []inventory.Endpoint{{Method: "GET", Path: "/cafes/{cafe_id}"}}}
	notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
		Inventory: inv, Identities: []*identity.Identity{id},
		Reads: []Candidate{{Use: "query:TopSecretKey_param", Why: "the source app.py:3 reads query \"TopSecretKey_param\""}}})
	if id.Base.Query["TopSecretKey_param"] != "TopSecretKey" || len(notes) != 1 {
		t.Fatalf("creds %+v, notes %q", id.Base, notes)
	}
	if got := client.Redactor.String(notes[0]); !strings.Contains(got, "key sent as query:TopSecretKey_param") {
		t.Errorf("the place name is masked: %s", got)
	}
	if got := client.Redactor.String("?TopSecretKey_param=TopSecretKey"); got != "?TopSecretKey_param=TopSec…[redacted]" {
		t.Errorf("the value: %s", got)
	}
}

// A key given as a whole Authorization value (its scheme word written in)
// goes in Authorization as it is: first when a gate refuses (one trial),
// and as the best placement when nothing refuses an anonymous GET.
func TestInferKeyWithSchemeWord(t *testing.T) {
	t.Parallel()
	var sent []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent = append(sent, r.Header.Get("Authorization")+"|"+r.Header.Get("X-API-Key"))
		if r.Header.Get("Authorization") != "Token TopSecretKey" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	run := func(value string, eps ...inventory.Endpoint) (*identity.Identity, []string) {
		client, err := httpx.New(httpx.Options{Scope: []string{u.Host}})
		if err != nil {
			t.Fatal(err)
		}
		id := &identity.Identity{Name: "keyholder", Base: identity.Creds{Unplaced: value}}
		notes := Infer(context.Background(), Options{Client: client, Session: &identity.Session{Client: client, Target: u},
			Inventory: &inventory.Inventory{Endpoints: eps}, Identities: []*identity.Identity{id}})
		return id, notes
	}
	id, notes := run("Token TopSecretKey", inventory.Endpoint{Method: "GET", Path: "/cafes/{cafe_id}"})
	if id.Base.Headers["Authorization"] != "Token TopSecretKey" || len(sent) != 2 || !strings.Contains(notes[0], "scheme word Token") {
		t.Errorf("with a gate: creds %+v, requests %q, notes %q", id.Base, sent, notes)
	}
	sent = nil
	id, notes = run("Basic dXNlcjpwdw==", inventory.Endpoint{Method: "POST", Path: "/process"})
	if id.Base.Headers["Authorization"] != "Basic dXNlcjpwdw==" || len(id.Base.Headers) != 1 || !strings.Contains(notes[0], "not tried") {
		t.Errorf("no gate: creds %+v, notes %q", id.Base, notes)
	}
	// A plain key keeps the defaults.
	id, _ = run("TopSecretKey", inventory.Endpoint{Method: "POST", Path: "/process"})
	if id.Base.Headers["X-API-Key"] != "TopSecretKey" {
		t.Errorf("plain key: creds %+v", id.Base)
	}
}
