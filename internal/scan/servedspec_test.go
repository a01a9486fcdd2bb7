//go:build cgo

package scan

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/inventory"
	"github.com/authprobe/authprobe/internal/probe"
)

// fastapiMounted is a FastAPI app with a sub-app mounted at /sub: the
// document it serves lists its own operations (with a header parameter
// FastAPI derives from the signature), not the sub-app's.
const fastapiMounted = `from fastapi import FastAPI, Header

app = FastAPI()
sub = FastAPI()


@app.get("/users/{user_id}")
def user(user_id: int, x_user_id: str = Header(None)):
    return {}


@sub.get("/ping")
def ping():
    return "pong"


app.mount("/sub", sub)
`

const fastapiServedSpec = `{"openapi":"3.0.2","info":{"title":"t","version":"1"},"paths":{"/users/{user_id}":{"get":{
"parameters":[{"name":"user_id","in":"path","required":true,"schema":{"type":"integer"}},
{"name":"x-user-id","in":"header","required":false,"schema":{"type":"string"}}],
"responses":{"200":{"description":"ok"}}}}}}`

// TestSourceReadsServedSpecOfFastAPI: --source on a FastAPI app reads the
// document the target serves next to the code's routes (its parameters
// join the code's endpoint), says so, and reports no route of the code
// as undocumented (the mounted sub-app serves its own document).
func TestSourceReadsServedSpecOfFastAPI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/openapi.json" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(fastapiServedSpec))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.py"), []byte(fastapiMounted), 0o600); err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(srv.URL)
	inv := &inventory.Inventory{}
	src, err := loadSource(context.Background(), Config{Source: dir}, target, &probe.Settings{}, inv)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	header := false
	for _, e := range inv.Endpoints {
		keys = append(keys, e.Key())
		for _, c := range e.Carried {
			header = header || strings.EqualFold(c.Name, "x-user-id") && c.In == "header"
		}
	}
	if got := strings.Join(keys, " "); got != "GET /sub/ping GET /users/{user_id}" {
		t.Errorf("endpoints %q, want the code's two routes", got)
	}
	if !header {
		t.Errorf("the served document's header parameter did not join the code's endpoint: %+v", inv.Endpoints)
	}
	said := false
	for _, w := range inv.Warnings {
		said = said || strings.Contains(w, "also read the OpenAPI document the target serves at "+srv.URL+"/openapi.json")
	}
	if !said {
		t.Errorf("warnings %q do not say the served document was read", inv.Warnings)
	}
	if len(src.undocumented) != 0 {
		t.Errorf("undocumented %v: a served document is not the user's spec", src.undocumented)
	}
}
