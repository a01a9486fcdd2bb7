package fix

import (
	"strings"
	"testing"
)

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

func TestLoginEnumeration(t *testing.T) {
	src := `import secrets
from werkzeug.security import check_password_hash, generate_password_hash

USERS = {"a": {"password": generate_password_hash("x", method="pbkdf2:sha256:1000")}}


@app.post("/login")  # <-
def login():
    u = USERS.get(request.json["email"])
    if u is None:
        return jsonify(errors={"email": ["is not registered"]}), 422
    if not check_password_hash(u["password"], request.json["password"]):
        return jsonify(errors={"password": ["is invalid"]}), 422
    return jsonify(token=issue(u))
`
	want := `import secrets
from werkzeug.security import check_password_hash, generate_password_hash

USERS = {"a": {"password": generate_password_hash("x", method="pbkdf2:sha256:1000")}}


# Hashed once: an unknown account costs a login the same hash check as a known one.
_DUMMY_PASSWORD_HASH = generate_password_hash(secrets.token_urlsafe(16), method="pbkdf2:sha256:1000")


@app.post("/login")
def login():
    u = USERS.get(request.json["email"])
    if not check_password_hash(u["password"] if u is not None else _DUMMY_PASSWORD_HASH, request.json["password"]) or u is None:
        return jsonify(errors={"password": ["is invalid"]}), 422
    return jsonify(token=issue(u))
`
	pl, _ := plan(t, "account.user-enumeration", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); got != want {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
}

func TestResetTokenSpent(t *testing.T) {
	src := "def reset():\n    user = RESETS.get(str(body.get(\"token\", \"\")))  # <-\n    if user is None:\n        return 400\n    USERS[user] = h\n    return 200\n"
	want := "def reset():\n    user = RESETS.get(str(body.get(\"token\", \"\")))\n    if user is None:\n        return 400\n    USERS[user] = h\n    RESETS.pop(str(body.get(\"token\", \"\")), None)\n    return 200\n"
	pl, _ := plan(t, "account.reset-token-reusable", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); got != want {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
}

func TestLoginEnumerationAnswerOnly(t *testing.T) {
	src := "@app.post(\"/login\")  # <-\ndef login():\n    user = USERS.get(name)\n    if user is None:\n        check_password_hash(DUMMY, pw)\n        return jsonify(ok=False, msg=\"no such user\")\n    if not check_password_hash(user[\"pw\"], pw):\n        return jsonify(ok=False, msg=\"wrong password\")\n    return jsonify(ok=True)\n"
	want := "@app.post(\"/login\")\ndef login():\n    user = USERS.get(name)\n    if user is None:\n        check_password_hash(DUMMY, pw)\n        return jsonify(ok=False, msg=\"wrong password\")\n    if not check_password_hash(user[\"pw\"], pw):\n        return jsonify(ok=False, msg=\"wrong password\")\n    return jsonify(ok=True)\n"
	pl, _ := plan(t, "account.user-enumeration", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); got != want {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
}

func TestClientIdentity(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"def p():\n    user = caller()\n    name = request.headers.get(\"X-User\", user)  # <-\n    return name\n",
			"def p():\n    user = caller()\n    name = user\n    return name\n"},
		{"def d():\n    name = request.cookies.get(\"user\") or caller()  # <-\n    return name\n",
			"def d():\n    name = caller()\n    return name\n"},
	} {
		pl, _ := plan(t, "authn.client-controlled-identity", map[string]string{"app.py": c.src})
		if fx := pl.Fixes[0]; !fx.Patched {
			t.Fatalf("not patched: %s", fx.Reason)
		}
		if got := string(pl.New["app.py"]); got != c.want {
			t.Errorf("patched:\n%s\nwant:\n%s", got, c.want)
		}
	}
	pl, _ := plan(t, "authn.client-controlled-identity", map[string]string{"app.py": "def a():\n    if request.headers.get(\"X-Role\") != \"admin\":  # <-\n        return 403\n"})
	if pl.Fixes[0].Patched {
		t.Error("a role read from a header was patched without a verified source")
	}
}

func TestRequireExpFlaskJWTExtended(t *testing.T) {
	src := "from flask_jwt_extended import JWTManager, jwt_required\napp.config[\"JWT_ACCESS_TOKEN_EXPIRES\"] = timedelta(minutes=15)\njwt = JWTManager(app)\n\n\n@app.get(\"/a\")  # <-\n@jwt_required()\ndef a():\n    return 1\n"
	pl, _ := plan(t, "jwt.missing-exp-accepted", map[string]string{"app.py": src})
	if fx := pl.Fixes[0]; !fx.Patched {
		t.Fatalf("not patched: %s", fx.Reason)
	}
	if got := string(pl.New["app.py"]); !strings.Contains(got, "jwt = JWTManager(app)\n\n\n@jwt.token_verification_loader\ndef token_has_exp(jwt_header, jwt_payload):\n    return \"exp\" in jwt_payload\n") {
		t.Errorf("patched:\n%s", got)
	}
	pl, _ = plan(t, "jwt.missing-exp-accepted", map[string]string{"app.py": strings.Replace(src, "timedelta(minutes=15)", "False", 1)})
	if fx := pl.Fixes[0]; fx.Patched {
		t.Errorf("exp required while the app issues tokens without it:\n%s", pl.Diff())
	}
}
