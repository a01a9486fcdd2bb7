# Gates of a FastAPI app, each in its own shape (TestFastAPIGates).
from typing import Annotated

import jwt
from fastapi import APIRouter, Cookie, Depends, FastAPI, Header, HTTPException, Query, Security, status
from fastapi.security import APIKeyCookie, APIKeyHeader, APIKeyQuery, HTTPBasic, OAuth2PasswordBearer

from deps import get_db, verify_admin_key

SECRET = "s3cr3t-signing-key-for-tests-only"
API_KEY = "k"

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
key_header = APIKeyHeader(name="X-Service-Key", auto_error=False)
query_key = APIKeyQuery(name="api_key")
session_cookie = APIKeyCookie(name="sid")
credentials_exception = HTTPException(status_code=401, detail="Could not validate credentials")


def current_user(token: Annotated[str, Depends(oauth2_scheme)]):
    try:
        return jwt.decode(token, SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        raise credentials_exception


def active_user(user: dict = Depends(current_user)):
    if user.get("disabled"):
        raise HTTPException(status_code=400, detail="inactive")
    return user


async def service_key(key: str = Security(key_header)):
    if key != API_KEY:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="bad key")
    return key


def maybe_key(key: str = Security(key_header)):
    return key  # never refuses: optional


app = FastAPI()
admin = APIRouter(prefix="/admin", dependencies=[Depends(verify_admin_key)])
internal = APIRouter(prefix="/internal")


@app.get("/account")
def account(user: dict = Depends(active_user)):
    return user


@app.get("/me")
def me(user: Annotated[dict, Depends(current_user)]):
    return user


@app.get("/service/stats", dependencies=[Security(service_key)])
def stats():
    return {}


@app.get("/by-query")
def by_query(key: str = Depends(query_key)):
    return {}


@app.get("/by-cookie")
def by_cookie(sid: str = Depends(session_cookie)):
    return {}


@app.get("/legacy")
def legacy(x_legacy_token: str = Header(None)):
    if x_legacy_token != API_KEY:
        raise HTTPException(401, "no")
    return {}


@admin.delete("/users/{user_id}")
def delete_user(user_id: int):
    return None


@internal.get("/metrics")
def metrics():
    return {}


@app.get("/public/items")
def items(db=Depends(get_db), q: str = Query(None)):
    if q == "forbidden":
        raise HTTPException(status_code=403, detail="not this one")
    return []


@app.get("/public/optional")
def optional(key: str = Depends(maybe_key)):
    return {}


@app.get("/public/session")
def session(sid: str = Cookie(None)):
    return {"sid": sid}


app.include_router(admin)
app.include_router(internal, dependencies=[Depends(HTTPBasic())])
