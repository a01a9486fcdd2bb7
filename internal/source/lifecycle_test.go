package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/authprobe/authprobe/internal/static"
)

// TestFlowHints: the code names lifecycle routes whose paths do not.
func TestFlowHints(t *testing.T) {
	dir := t.TempDir()
	app := `from flask import Flask, jsonify, request
from flask_jwt_extended import JWTManager, jwt_required, create_access_token, get_jwt_identity, unset_jwt_cookies
from werkzeug.security import generate_password_hash

app = Flask(__name__)
jwt = JWTManager(app)
USERS = {}


@app.post("/api/token/renew")
@jwt_required(refresh=True)
def renew():
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@app.post("/api/session/end")
@jwt_required()
def end():
    resp = jsonify(msg="bye")
    unset_jwt_cookies(resp)
    return resp


@app.put("/api/me/secret")
@jwt_required()
def new_secret():
    USERS[get_jwt_identity()] = generate_password_hash(request.json["value"])
    return jsonify(ok=True)


@app.post("/api/users")
@jwt_required()
def create_user():
    data = request.get_json()
    hashed = generate_password_hash(data["password"], method="sha256")
    user = User(public_id=str(uuid.uuid4()), name=data["name"], password=hashed, admin=False)
    db.session.add(user)
    db.session.commit()
    return jsonify(message="created")


@app.post("/api/members")
@jwt_required()
def add_member():
    if len(request.json["password"]) < 8:
        raise ValueError("password too short")
    mongo.db.members.insert_one({"name": request.json["name"], "pw": generate_password_hash(request.json["password"])})
    return jsonify(ok=True)


@app.post("/api/me/password")
@jwt_required()
def change_password():
    if not request.json.get("password"):
        raise BadRequestError("password required")
    USERS[get_jwt_identity()] = generate_password_hash(request.json["password"])
    return jsonify(ok=True)


@app.get("/api/me")
@jwt_required()
def me():
    return jsonify(user=get_jwt_identity())
`
	if err := os.WriteFile(filepath.Join(dir, "app.py"), []byte(app), 0o600); err != nil {
		t.Fatal(err)
	}
	proj, _, err := static.Analyze(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := FlowHints(proj)
	want := map[string]string{
		"POST /api/token/renew": "refresh",
		"POST /api/session/end": "logout",
		"PUT /api/me/secret":    "password_change",
		// A user-creating POST that hashes the new user's password
		// (todo-xaccess's SQLAlchemy shape, a Mongo insert) is no
		// password change; a POST that changes the caller's still is.
		"POST /api/users":       "register",
		"POST /api/members":     "register",
		"POST /api/me/password": "password_change",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: hint %q, want %q", k, got[k], v)
		}
	}
	if got["GET /api/me"] != "" {
		t.Errorf("GET /api/me: hint %q, want none", got["GET /api/me"])
	}
}
