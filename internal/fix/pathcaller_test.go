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

const decoratorCallerSrc = `def auth_needed(view):
    @wraps(view)
    def inner(*a, **kw):
        try:
            data = jwt.decode(request.headers.get("Authorization", "")[7:], KEY, algorithms=["HS256"])
        except jwt.PyJWTError:
            return jsonify(error="unauthorized"), 401
        g.member = int(data["sub"])
        return view(*a, **kw)
    return inner


@app.get("/members/<int:member_id>/points")  # <-
@auth_needed
def points(member_id):
    p = POINTS.get(member_id)
    if p is None:
        return jsonify(error="not found"), 404
    return jsonify(p)
`

// TestPathCallerDecorator: with no login that stores the path's user in
// the session, the caller id the route's auth decorator sets (one g
// attribute, of the path parameter's type) is the one the path must name.
func TestPathCallerDecorator(t *testing.T) {
	pl, _ := plan(t, "authz.bola", map[string]string{"app.py": decoratorCallerSrc})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	want := "    if p is None or member_id != g.member:\n"
	if got := string(pl.New["app.py"]); !strings.Contains(got, want) {
		t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
	}
	// A string path parameter against an int() id: the types disagree.
	str := strings.Replace(decoratorCallerSrc, "<int:member_id>", "<member_id>", 1)
	pl, _ = plan(t, "authz.bola", map[string]string{"app.py": str})
	if fx := pl.Fixes[0]; fx.Patched {
		t.Errorf("patched with a string parameter against an int id:\n%s", pl.Diff())
	}
}
