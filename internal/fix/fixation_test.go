package fix

import (
	"strings"
	"testing"
)

const fixationSrc = `import uuid

from flask import Flask, session
from flask.sessions import SessionInterface, SessionMixin


class MemSession(dict, SessionMixin):
    def __init__(self, key, initial=None):
        super().__init__(initial or {})
        self.key = key


class MemStore(SessionInterface):
    def open_session(self, app, request):
        key = request.cookies.get("k")
        if key in STORE:
            return MemSession(key, STORE[key])
        return MemSession(uuid.uuid4().hex)

    def save_session(self, app, sess, response):
        STORE[sess.key] = dict(sess)
        response.set_cookie("k", sess.key)


STORE = {}
app.session_interface = MemStore()


@app.post("/signin")  # <-
def signin():
    if not ok():
        return "no", 401
    session["who"] = request.form["name"]
    return "ok"
`

// TestFixation: a hand-written server-side session store renews the id at
// login with its own minting expression, attribute and store; Flask's
// cookie session (no SessionInterface in the module) is listed.
func TestFixation(t *testing.T) {
	pl, _ := plan(t, "session.fixation", map[string]string{"app.py": fixationSrc})
	fx := pl.Fixes[0]
	if !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	want := "        return \"no\", 401\n    STORE.pop(session.key, None)  # a new session id at login: the one handed out before it is dropped\n    session.key = uuid.uuid4().hex\n    session[\"who\"] = request.form[\"name\"]\n"
	if got := string(pl.New["app.py"]); !strings.Contains(got, want) {
		t.Errorf("patched:\n%s\nwant it to hold:\n%s", got, want)
	}
	cookie := "from flask import session\n\n\n@app.post(\"/signin\")  # <-\ndef signin():\n    session[\"who\"] = name\n    return \"ok\"\n"
	pl, _ = plan(t, "session.fixation", map[string]string{"app.py": cookie})
	if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, "SessionInterface") {
		t.Errorf("patched %v (%s), want it listed", fx.Patched, fx.Reason)
	}
}
