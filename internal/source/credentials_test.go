package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestCredentials: literal user name and password pairs in four shapes —
// a dataclass stub built positionally, a keyword account call, a user
// table keyed by name, a login comparing the request's values with
// literals — each with the line of its password; a password read from
// the environment, a lone password and a test file's fixture are not
// candidates.
func TestCredentials(t *testing.T) {
	files := map[string]string{
		"models.py": `from dataclasses import dataclass

@dataclass
class User:
    id: int
    username: str
    password: str
    role_number: int

    @staticmethod
    def find_by_username(username):
        if username == "testuser":
            return User(1, "testuser", "password", 1)
        return None
`,
		"app.py": `import os
from flask import Flask, request
from models import User
app = Flask(__name__)
ACCOUNTS = {
    "JOHN": {"password": "1234", "id": 1},
}

def seed(db):
    db.create_user(username="ops", password=os.environ["OPS_PW"])
    db.create_user(username="root", password="toor")
    db.set_password("lonely-literal")

@app.post("/login")
def login():
    data = request.get_json()
    if data.get("username") == "admin" and data["password"] == "s3cret!":
        return {"token": "x"}
    return {"error": "no"}, 401
`,
		"tests/test_login.py": `def test_login():
    client.post("/login", json={"username": "fixture", "password": "fixture-pw"})
`,
	}
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range Credentials(proj) {
		got[c.User+"/"+c.Password] = c.Where
	}
	want := map[string]string{
		"testuser/password": "models.py:13",
		"JOHN/1234":         "app.py:6",
		"root/toor":         "app.py:11",
		"admin/s3cret!":     "app.py:17",
	}
	for k, where := range want {
		if g, ok := got[k]; !ok || !strings.HasSuffix(g, where) {
			t.Errorf("credential %s: where %q, want %s (all: %v)", k, g, where, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("credentials = %v, want exactly %v", got, want)
	}
}

// TestCredentialsNotFromAnswers: a dict the code answers with (an error
// naming the required fields) is not a user record.
func TestCredentialsNotFromAnswers(t *testing.T) {
	src := `from flask import Flask, jsonify
app = Flask(__name__)

@app.post("/register")
def register():
    return jsonify(errors={"username": "required", "password": "required"}), 400

@app.post("/other")
def other():
    return {"user": "missing", "password": "missing"}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := Credentials(proj); len(got) != 0 {
		t.Errorf("credentials from answers: %+v", got)
	}
}

// TestComparedCredentialShapes: a login's literal pair is found in every
// shape that says "these match" or "these differ": the refusal's `!=`
// joined by `or` (flask-jwt-demo's shape), a negated `and`, and a tuple
// compared with a tuple; an `or` of `==` (either value alone) and a
// comparison of two request values are not pairs.
func TestComparedCredentialShapes(t *testing.T) {
	src := `from flask import Flask, request, jsonify
app = Flask(__name__)

@app.post("/login")
def login():
    body = request.get_json()
    userid = body.get("userId")
    password = body.get("password")
    if userid != "test" or password != "123":
        return jsonify(msg="Invalid userId or password"), 401
    return jsonify(token="t")

@app.post("/staff/login")
def staff():
    if not (request.form["username"] == "ops" and request.form["passwd"] == "hunter22"):
        return "no", 403
    return "ok"

@app.post("/kiosk/login")
def kiosk():
    data = request.json
    if (data["user"], data["pw"]) == ("kiosk", "k10sk!"):
        return {"token": "k"}
    return {"error": "no"}, 401

@app.post("/either")
def either():
    data = request.json
    if data["username"] == "guest" or data["password"] == "guestpw":
        return {"token": "g"}
    return {"error": "no"}, 401

@app.post("/register")
def register():
    data = request.json
    if data["password"] != data["confirm"] or data["username"] != data["username"].strip():
        return {"error": "mismatch"}, 400
    return {"ok": True}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range Credentials(proj) {
		if !c.Compared {
			t.Errorf("%s/%s: not marked as a login's comparison (%s)", c.User, c.Password, c.How)
		}
		got[c.User+"/"+c.Password] = c.Where
	}
	want := map[string]string{"test/123": "app.py:9", "ops/hunter22": "app.py:15", "kiosk/k10sk!": "app.py:22"}
	for k, where := range want {
		if g, ok := got[k]; !ok || !strings.HasSuffix(g, where) {
			t.Errorf("credential %s: where %q, want %s (all: %v)", k, g, where, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("credentials = %v, want exactly %v", got, want)
	}
}
