"""Billing service: invoices, a mobile wallet, partner and terminal APIs.

Four generations of clients, four token schemes, one Flask app:
  * web app (alice): RS256 tokens from POST /api/login, keys published at
    /.well-known/jwks.json; several routes verify them their own way;
  * mobile wallet v2 (bob): HS256 tokens from POST /api/v2/token;
  * account pages (carol): Flask session cookie from POST /login;
  * payment terminals (dave): ES256 tokens from POST /api/devices/token;
  * partner integrations (acme): HS256 tokens with a kid from
    POST /api/partner/token, one secret per partner key.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import tempfile
from datetime import datetime, timedelta, timezone

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Flask, jsonify, request, session
from werkzeug.security import check_password_hash, generate_password_hash

import routes
import verifiers
from throttle import throttled_login

app = Flask(__name__)
# Flask session for the account pages.
app.secret_key = "dev"  # want: py.flask-weak-secret-key

ACCESS_TTL = timedelta(minutes=15)
PW_METHOD = "pbkdf2:sha256:50000"
USERS = {
    "alice": generate_password_hash("alice-pw", PW_METHOD),
    "bob": generate_password_hash("bob-pw", PW_METHOD),
    "carol": generate_password_hash("carol-pw", PW_METHOD),
    "erin": generate_password_hash("erin-pw", PW_METHOD),
}
DEVICES = {"terminal-7": "t7-device-secret"}

# Web app signing key (RS256) and terminal key (ES256), both in the JWKS.
if os.environ.get("SIGNING_KEY_FILE"):  # a fixed key, e.g. to scan with --jwt-key
    with open(os.environ["SIGNING_KEY_FILE"], "rb") as fh:
        RSA_KEY = serialization.load_pem_private_key(fh.read(), password=None)
else:
    RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
RSA_KID, EC_KID = "billing-2026-01", "terminals-1"
PUBLIC_PEM = RSA_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

# Mobile wallet v2: the secret from the JWT quick-start guide never got replaced.
WALLET_SECRET = os.environ.get("WALLET_JWT_SECRET", "your-256-bit-secret")  # want: py.jwt-weak-secret
WALLET_ISS, WALLET_AUD = "https://billing.example/auth", "wallet-api"

# Partner keys: one file per key id in the key directory, mirrored in SQLite.
PARTNER_DIR = tempfile.mkdtemp(prefix="partner-keys-")
PARTNERS = {"acme": {"secret": "acme-client-secret", "kid": "acme-2026"}}
PARTNER_KEYS = {"acme-2026": secrets.token_urlsafe(32)}
for _kid, _secret in PARTNER_KEYS.items():
    with open(os.path.join(PARTNER_DIR, _kid), "w", encoding="utf-8") as fh:
        fh.write(_secret)
verifiers.init(rsa_key=RSA_KEY, ec_key=EC_KEY, rsa_kid=RSA_KID, ec_kid=EC_KID,
               public_pem=PUBLIC_PEM, partner_dir=PARTNER_DIR, partner_keys=PARTNER_KEYS,
               wallet_secret=WALLET_SECRET, wallet_iss=WALLET_ISS, wallet_aud=WALLET_AUD)


def now():
    return datetime.now(timezone.utc)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/.well-known/jwks.json")
def jwks():
    return jsonify(keys=verifiers.local_jwks())


@app.get("/.well-known/openid-configuration")
def openid_configuration():
    base = request.host_url.rstrip("/")
    return jsonify(issuer=base, jwks_uri=base + "/.well-known/jwks.json",
                   id_token_signing_alg_values_supported=["RS256", "ES256"])


def check_password(user, password):
    stored = USERS.get(user or "")
    return stored is not None and check_password_hash(stored, password or "")


@app.post("/api/login")
@throttled_login
def login():
    body = request.get_json(silent=True) or {}
    if not check_password(body.get("username"), body.get("password")):
        return jsonify(error="bad credentials"), 401
    token = jwt.encode({"sub": body["username"], "iat": now(), "exp": now() + ACCESS_TTL},
                       RSA_KEY, algorithm="RS256", headers={"kid": RSA_KID})
    return jsonify(access_token=token, token_type="Bearer")


@app.post("/api/v2/token")
@throttled_login
def wallet_token():
    body = request.get_json(silent=True) or {}
    if not check_password(body.get("username"), body.get("password")):
        return jsonify(error="invalid_grant"), 401
    claims = {"sub": body["username"], "role": "user", "iss": WALLET_ISS, "aud": WALLET_AUD,
              "iat": now(), "exp": now() + ACCESS_TTL}
    return jsonify(access_token=jwt.encode(claims, WALLET_SECRET, algorithm="HS256"))


@app.post("/login")
@throttled_login
def account_login():
    if not check_password(request.form.get("username"), request.form.get("password")):
        return jsonify(error="bad credentials"), 401
    session["user"] = request.form["username"]
    return jsonify(ok=True)


@app.post("/api/devices/token")
@throttled_login
def device_token():
    body = request.get_json(silent=True) or {}
    device = body.get("device_id")
    if DEVICES.get(device or "") != body.get("device_secret"):
        return jsonify(error="unknown device"), 401
    token = jwt.encode({"sub": device, "iat": now(), "exp": now() + ACCESS_TTL},
                       EC_KEY, algorithm="ES256", headers={"kid": EC_KID})
    return jsonify(access_token=token)


@app.post("/api/partner/token")
@throttled_login
def partner_token():
    body = request.get_json(silent=True) or {}
    partner = PARTNERS.get(body.get("client_id") or "")
    if partner is None or partner["secret"] != body.get("client_secret"):  # want: py.apikey-timing-compare
        return jsonify(error="invalid_client"), 401
    kid = partner["kid"]
    token = jwt.encode({"sub": body["client_id"], "iat": now(), "exp": now() + ACCESS_TTL},
                       PARTNER_KEYS[kid], algorithm="HS256", headers={"kid": kid})
    return jsonify(access_token=token)


@app.get("/account")
def account():
    user = session.get("user")
    if user not in USERS:
        return jsonify(error="login required"), 401
    return jsonify(user=user, plan="pro", invoices_this_month=3)


app.register_blueprint(routes.api)

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
