package fix

import (
	"strings"
	"testing"
)

const clientRoleSrc = `STAFF = {
    "ann": {"name": "ann", "level": "manager", "team": "ops"},
    "ben": {"name": "ben", "level": "clerk", "team": "ops"},
}


def who():
    return verify(request.headers.get("Authorization", ""))


@app.get("/me")
def me():
    person = who()
    if person is None:
        return jsonify(error="log in"), 401
    return jsonify(STAFF[person])


@app.get("/reports")
def reports():
    if request.cookies.get("level") != "manager":  # <-
        return jsonify(error="managers only"), 403
    return jsonify(REPORTS)
`

// TestClientRole: a role the client sends is replaced by the field of the
// verified caller's record that holds the compared value; with no route
// looking the verified caller up in a store, it is listed.
func TestClientRole(t *testing.T) {
	pl, _ := plan(t, "authn.client-controlled-identity", map[string]string{"app.py": clientRoleSrc})
	fx := pl.Fixes[0]
	if !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	want := "def reports():\n    person = who()\n    if person is None or STAFF[person].get(\"level\") != \"manager\":\n        return jsonify(error=\"managers only\"), 403\n"
	if got := string(pl.New["app.py"]); !strings.Contains(got, want) {
		t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
	}
	noStore := strings.Replace(clientRoleSrc, "return jsonify(STAFF[person])", "return jsonify(name=person)", 1)
	pl, _ = plan(t, "authn.client-controlled-identity", map[string]string{"app.py": noStore})
	if fx := pl.Fixes[0]; fx.Patched {
		t.Errorf("patched without a verified record:\n%s", pl.Diff())
	}
}
