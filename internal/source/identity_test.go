package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestIdentityReads: headers, cookies and query parameters the code reads
// that may name the caller, with the literals it compares them with;
// credentials and standard headers are not candidates.
func TestIdentityReads(t *testing.T) {
	src := `from flask import Flask, request
app = Flask(__name__)

@app.get("/admin")
def admin():
    username = request.headers.get("username")
    if username == "admin":
        return {"ok": True}
    return {"error": "no"}, 401

@app.get("/me")
def me():
    uid = request.headers["X-User-ID"]
    key = request.headers.get("X-API-Key")
    ctype = request.headers.get("Content-Type")
    if request.cookies.get("role") in ("staff", "root"):
        pass
    s = request.cookies.get("vulpy_session")
    t = request.cookies.get("access_token")
    q = request.args.get("user")
    return {"uid": uid}


def post_create():
    data = {"username": whoami(request), "kind": "post"}
    data.update(request.get_json())
    return data


def create(response, username):
    session = base64.b64encode(json.dumps({"username": username}).encode())
    response.set_cookie("vulpy_session", session)
    return response
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range IdentityReads(proj) {
		got = append(got, r.In+":"+r.Name+"="+strings.Join(r.Literals, ",")+r.Encoding+r.Field)
		if !strings.HasPrefix(r.Where, "app.py:") {
			t.Errorf("%s: where %q", r.Name, r.Where)
		}
	}
	want := "header:username=admin|header:X-User-ID=|cookie:role=root,staff|cookie:vulpy_session=base64-jsonusername|query:user=|body:username="
	if strings.Join(got, "|") != want {
		t.Errorf("reads\n  %s\nwant\n  %s", strings.Join(got, "|"), want)
	}
}
