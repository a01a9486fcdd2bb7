package fix

import (
	"strings"
	"testing"
)

// keyCases: the verifier keeps its configured keys only.
var keyCases = []fixerCase{
	{"the jwk header branch gives way to the configured key", "jwt.jwk-header-trusted", `import jwt
def verify(token):
    header = jwt.get_unverified_header(token)
    if "jwk" in header:
        key = jwt.PyJWK(header["jwk"]).key
    else:
        key = local_key(header.get("kid"))
    return jwt.decode(token, key, algorithms=["RS256"])  # <-
`, `import jwt
def verify(token):
    header = jwt.get_unverified_header(token)
    key = local_key(header.get("kid"))
    return jwt.decode(token, key, algorithms=["RS256"])
`},
	{"a key function fetching the jku returns the local key", "jwt.jku-trusted", `import jwt
def _jku_key(header):
    jku = header.get("jku")
    if not jku:
        return local_key(header.get("kid"))
    keys = jwt.PyJWKSet.from_dict(fetch(jku))
    return keys.keys[0].key
def verify(token):
    return jwt.decode(token, _jku_key(jwt.get_unverified_header(token)), algorithms=["RS256"])  # <-
`, `import jwt
def _jku_key(header):
    return local_key(header.get("kid"))
def verify(token):
    return jwt.decode(token, _jku_key(jwt.get_unverified_header(token)), algorithms=["RS256"])
`},
	{"kid path allow-listed to the key directory", "jwt.kid-traversal", `import os
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    with open(os.path.join(KEY_DIR, kid)) as fh:  # <-
        key = fh.read()
    if not key:
        raise jwt.InvalidKeyError("empty key")
    return jwt.decode(token, key, algorithms=["HS256"])
`, `import os
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    if kid not in os.listdir(KEY_DIR):
        raise jwt.InvalidKeyError("unknown kid")
    with open(os.path.join(KEY_DIR, kid)) as fh:
        key = fh.read()
    if not key:
        raise jwt.InvalidKeyError("empty key")
    return jwt.decode(token, key, algorithms=["HS256"])
`},
	{"kid bound as a sqlite3 parameter", "jwt.kid-sqli", `import sqlite3
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    row = DB.execute(f"SELECT secret FROM keys WHERE kid = '{kid}'").fetchone()  # <-
    return jwt.decode(token, row[0], algorithms=["HS256"])
`, `import sqlite3
import jwt
def verify(token):
    kid = jwt.get_unverified_header(token).get("kid") or ""
    row = DB.execute("SELECT secret FROM keys WHERE kid = ?", (kid,)).fetchone()
    return jwt.decode(token, row[0], algorithms=["HS256"])
`},
}

func TestHeaderKeys(t *testing.T) {
	for _, c := range keyCases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, c.rule, map[string]string{"app.py": c.src})
			fx := pl.Fixes[0]
			if !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestTokenType(t *testing.T) {
	src := `import jwt
def refresh():
    claims = jwt.decode(request.headers["T"], K, algorithms=["HS256"])
    if claims.get("type") != "refresh":
        return unauthorized("a refresh token is required")
def wrapper():
    try:
        claims = jwt.decode(token, K, algorithms=["HS256"])  # <-
    except jwt.PyJWTError:
        return unauthorized("invalid token")
    return claims
`
	want := `import jwt
def refresh():
    claims = jwt.decode(request.headers["T"], K, algorithms=["HS256"])
    if claims.get("type") != "refresh":
        return unauthorized("a refresh token is required")
def wrapper():
    try:
        claims = jwt.decode(token, K, algorithms=["HS256"])
    except jwt.PyJWTError:
        return unauthorized("invalid token")
    if claims.get("type") == "refresh":
        return unauthorized("invalid token")
    return claims
`
	pl, _ := plan(t, "session.refresh-as-access", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); got != want {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
}

func TestRevocation(t *testing.T) {
	src := `from flask import Flask, jsonify
from flask_jwt_extended import JWTManager, jwt_required

app = Flask(__name__)
jwt = JWTManager(app)


@app.post("/logout")  # <-
@jwt_required()
def logout():
    return jsonify(msg="bye")
`
	pl, _ := plan(t, "session.logout-not-revoked", map[string]string{"app.py": src})
	fx := pl.Fixes[0]
	if !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	got := string(pl.New["app.py"])
	for _, want := range []string{
		"from flask_jwt_extended import get_jwt, get_jwt_identity\nimport time\nfrom flask import Flask",
		"jwt = JWTManager(app)\n\n# Revoked tokens",
		"@jwt.token_in_blocklist_loader\ndef token_revoked(jwt_header, jwt_payload):",
		"def logout():\n    REVOKED_JTIS.add(get_jwt()[\"jti\"])\n    return jsonify(msg=\"bye\")",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("patched app lacks %q:\n%s", want, got)
		}
	}
	// A hand-written verifier: listed, not guessed.
	pl, _ = plan(t, "session.logout-not-revoked", map[string]string{"app.py": "@app.post(\"/logout\")  # <-\n@token_required\ndef logout():\n    return 1\n"})
	if fx := pl.Fixes[0]; fx.Patched || !strings.Contains(fx.Reason, "hand-written verifier") {
		t.Errorf("patched without flask-jwt-extended: %+v", fx)
	}
}

func TestNoneLifetimeKeyword(t *testing.T) {
	src := "def token(u, ttl=timedelta(minutes=15)):\n    return u\nx = token(u, ttl=None)  # <-\n"
	pl, _ := plan(t, "py.jwt-no-expiry", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got, want := string(pl.New["app.py"]), "def token(u, ttl=timedelta(minutes=15)):\n    return u\nx = token(u)\n"; got != want {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
}

func TestOwnershipRewrite(t *testing.T) {
	common := `@app.post("/notes")
@login_required
def create():
    NOTES[1] = {"id": 1, "user_id": g.user["id"], "title": request.json["title"]}
    return "", 201


`
	cases := []struct{ name, src, want string }{
		{"pop then refuse", `@app.delete("/notes/<int:note_id>")  # <-
@login_required
def delete_note(note_id):
    if NOTES.pop(note_id, None) is None:
        return jsonify(error="not found"), 404
    return "", 204
`, `@app.delete("/notes/<int:note_id>")
@login_required
def delete_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["user_id"] != g.user["id"]:
        return jsonify(error="not found"), 404
    del NOTES[note_id]
    return "", 204
`},
		{"a direct read", `@app.get("/notes/<int:note_id>")  # <-
@login_required
def get_note(note_id):
    return jsonify(NOTES[note_id])
`, `@app.get("/notes/<int:note_id>")
@login_required
def get_note(note_id):
    note = NOTES.get(note_id)
    if note is None or note["user_id"] != g.user["id"]:
        abort(404)
    return jsonify(note)
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, _ := plan(t, "authz.bola", map[string]string{"app.py": common + c.src})
			if fx := pl.Fixes[0]; !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			got := strings.TrimPrefix(strings.TrimPrefix(string(pl.New["app.py"]), "from flask import abort\n"), common)
			if got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestRevocationVerifier(t *testing.T) {
	src := `import jwt
from flask import Flask, jsonify, request


def token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        token = request.headers.get("Authorization", "")
        try:
            claims = jwt.decode(token, K, algorithms=["HS256"])
        except jwt.PyJWTError:
            return unauthorized("invalid token")
        g.user = USERS[claims["sub"]]
        return fn(*args, **kwargs)
    return wrapper


@app.put("/api/user")
@token_required
def update_user():
    g.user["password"] = generate_password_hash(request.json["password"])  # <-
    return jsonify(ok=True)
`
	pl, _ := plan(t, "session.password-change-not-revoked", map[string]string{"app.py": src})
	fx := pl.Fixes[0]
	if !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	got := string(pl.New["app.py"])
	for _, want := range []string{
		"from flask import g\nimport time\nimport jwt",
		"REVOKED_TOKENS = set()\nTOKENS_VALID_AFTER = {}\n\n\ndef token_required(fn):",
		"        if token in REVOKED_TOKENS or claims.get(\"iat\", 0) < TOKENS_VALID_AFTER.get(str(claims.get(\"sub\")), 0):\n            return unauthorized(\"invalid token\")\n        g.auth_token, g.auth_claims = token, claims\n        return fn(*args, **kwargs)",
		"generate_password_hash(request.json[\"password\"])\n    REVOKED_TOKENS.add(g.auth_token)\n    TOKENS_VALID_AFTER[str(g.auth_claims.get(\"sub\"))] = int(time.time())\n    return jsonify(ok=True)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("patched app lacks %q:\n%s", want, got)
		}
	}
}

func TestPredictableToken(t *testing.T) {
	src := "import hashlib\ndef mint():\n    token = hashlib.md5(str(N).encode()).hexdigest()  # <-\n    return token\n"
	pl, _ := plan(t, "apikey.predictable-token", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got, want := string(pl.New["app.py"]), "import secrets\nimport hashlib\ndef mint():\n    token = secrets.token_urlsafe(32)\n    return token\n"; got != want {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
}

func TestMassAssignment(t *testing.T) {
	for _, c := range []struct{ name, msg, src, want string }{
		{"a filtered comprehension excludes the proven field", "POST /api/notes stored fields a client must not set: approved (read back from object 101)",
			"@app.post(\"/api/notes\")  # <-\ndef create():\n    note = {\"id\": 1, \"approved\": False}\n    note.update({k: v for k, v in data.items() if k not in (\"id\", \"owner\")})\n    return note\n",
			"@app.post(\"/api/notes\")\ndef create():\n    note = {\"id\": 1, \"approved\": False}\n    note.update({k: v for k, v in data.items() if k not in (\"id\", \"owner\", \"approved\")})\n    return note\n"},
		{"a flag read from the request", "registration accepts admin: its token claims admin",
			"@app.post(\"/api/users\")  # <-\ndef register():\n    USERS[1] = {\"email\": body[\"email\"], \"admin\": bool(body.get(\"admin\"))}\n    return 1\n",
			"@app.post(\"/api/users\")\ndef register():\n    USERS[1] = {\"email\": body[\"email\"], \"admin\": False}\n    return 1\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pl := planMessage(t, "authz.mass-assignment", c.msg, c.src)
			if fx := pl.Fixes[0]; !fx.Patched {
				t.Fatalf("not patched: %s", fx.Reason)
			}
			if got := string(pl.New["app.py"]); got != c.want {
				t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}
