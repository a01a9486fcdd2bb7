"""Invoices API on FastAPI whose login issues an opaque API key (random hex,
kept server-side) that a router-level dependency reads from an
X-Invoice-Key header (APIKeyHeader, auto_error=False) for every /api/ route
but the login, which sits on another router. A missing or unknown key is
refused with a bare 403 {"detail": "forbidden"} that names no header, and
the app serves no OpenAPI document (openapi_url=None): only the code says
where the key goes. Logins and unknown keys are throttled. GET
/api/invoices lists the caller's invoices; GET /api/invoices/{invoice_id}
checks the owner: the same API done right. /health is public.

Run: PORT=5000 /usr/bin/python3 app.py
"""
import os
import secrets
import sys
import threading

import uvicorn
from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402  (labs/_lib: the throttle every lab shares)

USERS = {"alice": "alice-pw", "bob": "bob-pw"}
INVOICES = {
    101: {"id": 101, "owner": "alice", "amount": 120.0, "customer": "Acme Ltd"},
    102: {"id": 102, "owner": "bob", "amount": 75.5, "customer": "Globex"},
}
SESSIONS = {}
lock = threading.Lock()
throttle = labthrottle.Throttle(limit=10, window=60.0, lockout=2, scope="client")
# Unknown keys per client and route: the 20th within 60 seconds locks the
# client out of that route for 5 seconds (429 + Retry-After).
guessing = labthrottle.Throttle(limit=20, window=60.0, lockout=5, scope="route")
invoice_key = APIKeyHeader(name="X-Invoice-Key", auto_error=False)


class TooMany(Exception):
    def __init__(self, wait):
        self.wait = wait


def require_key(request: Request, key: str = Security(invoice_key)):
    where = (request.client.host, request.scope.get("route").path if request.scope.get("route") else request.url.path)
    wait = guessing.retry_after(where)
    if wait:
        raise TooMany(wait)
    with lock:
        user = SESSIONS.get(key or "")
    if user is None:
        guessing.fail(where)
        raise HTTPException(status_code=403, detail="forbidden")
    return user


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
auth = APIRouter(prefix="/api")
api = APIRouter(prefix="/api", dependencies=[Security(require_key)])


@app.exception_handler(TooMany)
def too_many(request, exc):
    return JSONResponse({"detail": "too many attempts"}, status_code=429, headers={"Retry-After": str(exc.wait)})


@app.get("/health")
def health():
    return {"status": "ok"}


@auth.post("/login")
def login(request: Request, body: dict = Body(...)):
    client = request.client.host
    wait = throttle.retry_after(client)
    if wait:
        raise TooMany(wait)
    user = str(body.get("username", ""))
    if user not in USERS or not secrets.compare_digest(USERS[user], str(body.get("password", ""))):
        throttle.fail(client)
        return JSONResponse({"detail": "bad credentials"}, status_code=401)
    token = secrets.token_hex(24)
    with lock:
        SESSIONS[token] = user
    return {"token": token}


@api.get("/me")
def me(user: str = Depends(require_key)):
    return {"username": user}


@api.get("/invoices")
def invoices(user: str = Depends(require_key)):
    return {"invoices": [i for i in INVOICES.values() if i["owner"] == user]}


@api.get("/invoices/{invoice_id}")
def invoice(invoice_id: int, user: str = Depends(require_key)):
    inv = INVOICES.get(invoice_id)
    if inv is None or inv["owner"] != user:
        raise HTTPException(status_code=404, detail="not found")
    return inv


app.include_router(auth)
app.include_router(api)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), log_level="info")
