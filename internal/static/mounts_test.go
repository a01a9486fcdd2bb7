//go:build cgo

package static

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDispatchMountWerkzeug asks werkzeug itself which paths the
// dispatchmount layout serves: every rule of its routes.txt answers, and
// the mounted apps' rules do not answer without their prefix (what the
// static model places under the mount is what the dispatcher serves).
func TestDispatchMountWerkzeug(t *testing.T) {
	if testing.Short() {
		t.Skip("runs /usr/bin/python3")
	}
	const script = `
from werkzeug.test import Client
from wsgi import application
c = Client(application)
for m, u in [("GET", "/"), ("GET", "/v2/items"), ("DELETE", "/v2/items/3"), ("GET", "/reports/stats"), ("GET", "/items"), ("GET", "/stats")]:
    print(m, u, c.open(u, method=m).status_code)
`
	cmd := exec.Command("/usr/bin/python3", "-B", "-c", script)
	cmd.Dir = "testdata/layouts/dispatchmount"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("werkzeug: %v\n%s", err, out)
	}
	want := "GET / 200\nGET /v2/items 200\nDELETE /v2/items/3 204\nGET /reports/stats 200\nGET /items 404\nGET /stats 404"
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("werkzeug serves\n%s\nwant\n%s", got, want)
	}
}
