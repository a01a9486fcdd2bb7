package fix

import (
	"strings"
	"testing"
)

const pathCallerSrc = `@app.post("/bank/<int:acct>/session")
def open_session(acct):
    if not valid(acct, request.form["pin"]):
        abort(401)
    session["acct"] = acct
    return "", 204


@app.get("/bank/<int:acct>/statements")  # <-
@needs_session
def statements(acct):
    if acct not in STATEMENTS:
        abort(404)
    return jsonify(STATEMENTS[acct])
`

// TestPathCaller: a path parameter in the place where the login's path
// names the account it stores in the session must be the caller's; the
// handler's own refusal of an unknown one refuses another's too. Without
// such a login it is listed.
func TestPathCaller(t *testing.T) {
	pl, _ := plan(t, "authz.bola", map[string]string{"app.py": pathCallerSrc})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	want := "    if acct not in STATEMENTS or acct != session.get(\"acct\"):\n        abort(404)\n"
	if got := string(pl.New["app.py"]); !strings.Contains(got, want) {
		t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
	}
	other := strings.Replace(pathCallerSrc, "/bank/<int:acct>/session", "/login", 1)
	pl, _ = plan(t, "authz.bola", map[string]string{"app.py": other})
	if fx := pl.Fixes[0]; fx.Patched {
		t.Errorf("patched without a login naming the path's user:\n%s", pl.Diff())
	}
}
