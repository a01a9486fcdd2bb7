from fastapi import Header, HTTPException

ADMIN_KEY = "admin"


def get_db():
    yield None


def verify_admin_key(x_admin_key: str = Header(..., alias="X-Admin-Key")):
    if x_admin_key != ADMIN_KEY:
        raise HTTPException(status_code=403, detail="not an admin")
