"""Failed-login throttling shared by every login route."""
import threading
import time
from functools import wraps

from flask import current_app, jsonify, request


class LoginThrottle:
    """Counts failed logins per client and route; locks out above a limit."""

    def __init__(self, limit=30, window=10.0):
        self.limit, self.window = limit, window
        self.failures = {}
        self.lock = threading.Lock()

    def _recent(self, key, now):
        times = [t for t in self.failures.get(key, []) if now - t < self.window]
        self.failures[key] = times
        return times

    def retry_after(self, key):
        with self.lock:
            now = time.monotonic()
            times = self._recent(key, now)
            if len(times) < self.limit:
                return 0
            return max(1, int(self.window - (now - times[0])) + 1)

    def fail(self, key):
        with self.lock:
            self._recent(key, time.monotonic()).append(time.monotonic())


_throttle = LoginThrottle()


def throttled_login(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = (request.remote_addr, request.path)
        wait = _throttle.retry_after(key)
        if wait:
            resp = jsonify(error="too many failed logins, slow down")
            resp.status_code = 429
            resp.headers["Retry-After"] = str(wait)
            return resp
        resp = current_app.make_response(view(*args, **kwargs))
        if resp.status_code == 401:
            _throttle.fail(key)
        return resp

    return wrapper
