"""Failed-login throttling shared by every login route: more than 30 failed
logins of a client on one login within 10 seconds answer 429 + Retry-After
until the oldest of them is 10 seconds old (labs/_lib/labthrottle.py)."""
import os
import sys
from functools import wraps

from flask import current_app

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_lib"))
import labthrottle  # noqa: E402

_throttle = labthrottle.Throttle(limit=30, window=10.0, lockout=None, scope="route")


def throttled_login(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = _throttle.key()
        wait = _throttle.retry_after(key)
        if wait:
            return labthrottle.too_many(wait, error="too many failed logins, slow down")
        resp = current_app.make_response(view(*args, **kwargs))
        if resp.status_code == 401:
            _throttle.fail(key)
        return resp

    return wrapper
