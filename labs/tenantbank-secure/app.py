"""Tenant Bank, done right: the secure twin of labs/tenantbank. Every view
is scoped to the caller's tenant, every write checks the token, minted
tokens come from secrets.token_urlsafe, and failed tokens are throttled
per client (429 + Retry-After).

Tenant Bank: a multi-tenant banking API keyed by an X-API-Token header,
with RPC-style paths (get_customer_v1, debit_customer_v1, ...).

A token names a tenant. Every refusal is answered in the style REFUSAL
selects, the same way on every route, so that one app exercises every way
an API says no:

  200  {"success": false, "error": ...} with HTTP 200 (the default)
  302  a redirect to /login
  404  404 {"error": "Not found"}
  422  422 {"success": false, "error": ...}
  500  500 {"error": "internal error"} (a crash on a missing tenant)
  login200   the HTML sign-in page with HTTP 200 (a web framework's login_required)
  401html    401 with an HTML error page
  403detail  403 {"detail": ...} (FastAPI's HTTPException)
  204        an empty 204


Run: PORT=5000 /usr/bin/python3 app.py
"""
import json
import os
import secrets
import threading
import time
from functools import wraps

from flask import Flask, Response, g, jsonify, redirect, request

app = Flask(__name__)
REFUSAL = os.environ.get("REFUSAL", "200")

# Tokens are deployment secrets, mounted as a file (never in source).
TOKENS_FILE = os.environ.get("TOKENS_FILE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokens.json")
with open(TOKENS_FILE, encoding="utf-8") as tokens_file:
    TOKENS = json.load(tokens_file)
CUSTOMERS = {
    101: {"id": 101, "tenant": "acme", "name": "Ada Byron", "iban": "DE89370400440532013000", "balance": 1200},
    102: {"id": 102, "tenant": "acme", "name": "Alan Kay", "iban": "DE02120300000000202051", "balance": 80},
    201: {"id": 201, "tenant": "globex", "name": "Grace Hopper", "iban": "FR1420041010050500013M02606", "balance": 5400},
    202: {"id": 202, "tenant": "globex", "name": "Edsger Dijkstra", "iban": "FR7630006000011234567890189", "balance": 310},
}
TRANSFERS = {
    501: {"id": 501, "tenant": "acme", "customer_id": 101, "amount": 40, "confirmed": False},
    601: {"id": 601, "tenant": "globex", "customer_id": 201, "amount": 75, "confirmed": False},
}
lock = threading.Lock()


def refuse(message):
    """One refusal, in the deployment's style."""
    g.refused = True
    if REFUSAL == "302":
        return redirect("/login?next=" + request.path)
    if REFUSAL == "404":
        return jsonify(error="Not found"), 404
    if REFUSAL == "422":
        return jsonify(success=False, error=message), 422
    if REFUSAL == "500":
        return jsonify(error="internal error"), 500
    return jsonify(success=False, error=message)


@app.after_request
def refusal_style(response):
    """The styles a front end imposes on every refusal: the HTML sign-in
    page with a 200 (login200), a 401 HTML page (401html), FastAPI's 403
    {"detail": ...} (403detail), an empty 204 (204)."""
    if not g.get("refused") or REFUSAL not in RESTYLED:
        return response
    return RESTYLED[REFUSAL](response.get_json(silent=True) or {})


RESTYLED = {
    "login200": lambda body: Response(LOGIN_PAGE, 200, mimetype="text/html"),
    "401html": lambda body: Response("<html><body><h1>401 Unauthorized</h1><p>%s</p></body></html>" % body.get("error", ""), 401, mimetype="text/html"),
    "403detail": lambda body: Response(json.dumps({"detail": body.get("error", "")}), 403, mimetype="application/json"),
    "204": lambda body: Response(status=204),
}


failures, locked_until = {}, {}


def too_many(client):
    """Whether the client is locked out after failed tokens."""
    with lock:
        return locked_until.get(client, 0) > time.monotonic()


def failed(client):
    """The 20th failure within a minute locks the client out for 1 s, then
    counting starts afresh."""
    with lock:
        now = time.monotonic()
        recent = [t for t in failures.get(client, []) if now - t < 60] + [now]
        if len(recent) >= 20:
            locked_until[client], recent = now + 1, []
        failures[client] = recent


def tenant_token(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        client = request.remote_addr
        if too_many(client):
            resp = jsonify(success=False, error="too many failed attempts")
            resp.status_code = 429
            resp.headers["Retry-After"] = "1"
            return resp
        info = TOKENS.get(request.headers.get("X-API-Token", ""))
        if info is None:
            failed(client)
            return refuse("Invalid API token.")
        g.tenant, g.role = info["tenant"], info["role"]
        return view(*args, **kwargs)

    return wrapper


def mine(obj):
    return obj is not None and obj["tenant"] == g.tenant


@app.get("/health")
def health():
    return jsonify(status="ok")


LOGIN_PAGE = ("<!doctype html><html><head><title>Sign in - Tenant Bank</title></head><body>"
              "<h1>Sign in</h1><form method=post action=/login><label>Username <input name=username></label>"
              "<label>Password <input type=password name=password></label><button>Sign in</button></form></body></html>")


@app.get("/login")
def login_page():
    return LOGIN_PAGE


@app.get("/list_customers_v1")
@tenant_token
def list_customers():
    return jsonify(success=True, customers=[c for c in CUSTOMERS.values() if mine(c)])


@app.get("/get_customer_v1/<int:cid>")
@tenant_token
def get_customer(cid):
    customer = CUSTOMERS.get(cid)
    if not mine(customer):
        return refuse("No such customer.")
    return jsonify(success=True, customer=customer)


@app.get("/list_transfers_v1")
@tenant_token
def list_transfers():
    return jsonify(success=True, transfers=[t for t in TRANSFERS.values() if mine(t)])


@app.get("/get_transfer_v1/<int:tid>")
@tenant_token
def get_transfer(tid):
    transfer = TRANSFERS.get(tid)
    if not mine(transfer):
        return refuse("No such transfer.")
    return jsonify(success=True, transfer=transfer)


@app.post("/debit_customer_v1")
@tenant_token
def debit_customer():
    body = request.get_json(silent=True) or {}
    missing = [f for f in ("customer_id", "amount") if f not in body]
    if missing:
        return jsonify(success=False, errors={f: "required" for f in missing}), 400
    customer = CUSTOMERS.get(body.get("customer_id"))
    if not mine(customer):
        return refuse("No such customer.")
    with lock:
        customer["balance"] -= int(body.get("amount", 0))
    return jsonify(success=True, customer_id=customer["id"], balance=customer["balance"])


@app.post("/confirm_transfer_v1/<int:tid>")
@tenant_token
def confirm_transfer(tid):
    transfer = TRANSFERS.get(tid)
    if not mine(transfer):
        return refuse("No such transfer.")
    transfer["confirmed"] = True
    return jsonify(success=True, transfer=transfer)


@app.post("/create_token_v1")
@tenant_token
def create_token():
    token = "tb_" + secrets.token_urlsafe(24)
    TOKENS[token] = {"tenant": g.tenant, "role": "tenant"}
    return jsonify(success=True, token=token)


@app.get("/admin_list_tenants_v1")
@tenant_token
def admin_list_tenants():
    if g.role != "operator":
        return refuse("Operators only.")
    return jsonify(success=True, tenants=sorted({c["tenant"] for c in CUSTOMERS.values()}))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
