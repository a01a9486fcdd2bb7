"""The bearer-token guard every API route uses, with its route's verifier."""
from functools import wraps

from flask import g, jsonify, request


def unauthorized(msg="invalid token"):
    return jsonify(error=msg), 401


def guarded(verify):
    """Route decorator: verify the bearer token with verify, claims in g."""
    def wrap(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                return unauthorized("missing bearer token")
            try:
                g.claims = verify(header[len("Bearer "):].strip())
            except Exception:  # every verifier failure is a 401
                return unauthorized()
            if not isinstance(g.claims.get("sub"), str):
                return unauthorized("no subject")
            return view(*args, **kwargs)
        return wrapper
    return wrap
