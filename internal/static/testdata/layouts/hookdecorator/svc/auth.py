import functools
import hmac
import os

from flask import abort, request

ADMIN_KEY = os.environ.get("ADMIN_API_KEY", "")


def admin_required(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        key = request.headers.get("X-Admin-Key", "")
        if not ADMIN_KEY or not hmac.compare_digest(key, ADMIN_KEY):
            abort(403)
        return fn(*args, **kwargs)

    return wrapper
