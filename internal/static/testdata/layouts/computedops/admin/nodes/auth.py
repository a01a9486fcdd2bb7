from functools import wraps

from flask import abort, session


def login_required(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if not session.get("user_id"):
            abort(401)
        return f(*args, **kwargs)

    return wrapper
