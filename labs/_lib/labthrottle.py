"""Failed-authentication throttling shared by the labs.

A lab builds one Throttle with its own defaults and asks it, per request,
how long the caller must wait (`retry_after`) and records each refused
attempt (`fail`). When the limit is reached the caller is locked out for
`lockout` seconds (429 + Retry-After), then counting starts afresh; with
`lockout=None` the caller waits instead until its oldest failure leaves the
window (a sliding window).

Environment knobs override a lab's defaults, so that a test can tune every
lab at once without editing them (internal/labtest sets them for scans):

  LAB_THROTTLE_LIMIT    failures that trigger the lockout
  LAB_THROTTLE_WINDOW   seconds over which failures are counted
  LAB_THROTTLE_LOCKOUT  seconds a locked-out caller waits ("window": sliding)
  LAB_THROTTLE_SCOPE    what one count covers: "client" (every route of a
                        client), "route" (a client on one route) or
                        "account" (the account named in the attempt, for
                        labs that pass one; else as "route")

A lab run by hand (scripts/lab.sh, make demo) keeps its own defaults.
"""
import os
import threading
import time

from flask import jsonify, request

SCOPES = ("client", "route", "account")


def _env(name, default, kind):
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    if name == "LAB_THROTTLE_LOCKOUT" and raw == "window":
        return None
    try:
        return kind(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: not a {kind.__name__}")


class Throttle:
    """Counts refused attempts per key; locks a key out at the limit."""

    def __init__(self, limit=20, window=60.0, lockout=5, scope="route"):
        self.limit = _env("LAB_THROTTLE_LIMIT", limit, int)
        self.window = _env("LAB_THROTTLE_WINDOW", window, float)
        self.lockout = _env("LAB_THROTTLE_LOCKOUT", lockout, float)
        self.scope = os.environ.get("LAB_THROTTLE_SCOPE") or scope
        if self.scope not in SCOPES:
            raise SystemExit(f"LAB_THROTTLE_SCOPE={self.scope!r}: want one of {', '.join(SCOPES)}")
        self.failures = {}
        self.locked_until = {}
        self.lock = threading.Lock()

    def key(self, account=None):
        """The count the current request belongs to, under the scope."""
        client = request.remote_addr
        if self.scope == "client":
            return client
        if self.scope == "account" and account is not None:
            return ("account", str(account))
        return (client, request.url_rule.rule if request.url_rule else request.path)

    def _recent(self, key, now):
        times = [t for t in self.failures.get(key, []) if now - t < self.window]
        self.failures[key] = times
        return times

    def retry_after(self, key):
        """Seconds the caller must wait, 0 when it may try."""
        with self.lock:
            now = time.monotonic()
            if self.lockout is None:
                times = self._recent(key, now)
                if len(times) < self.limit:
                    return 0
                return max(1, int(self.window - (now - times[0])) + 1)
            wait = self.locked_until.get(key, 0) - now
            return int(wait) + 1 if wait > 0 else 0

    def fail(self, key):
        """Record one refused attempt."""
        with self.lock:
            now = time.monotonic()
            times = self._recent(key, now)
            times.append(now)
            if self.lockout is not None and len(times) >= self.limit:
                self.locked_until[key] = now + self.lockout
                self.failures[key] = []


def too_many(wait, **body):
    """A 429 answer with Retry-After; body defaults to an error message."""
    resp = jsonify(**(body or {"error": "too many failed attempts, retry later"}))
    resp.status_code = 429
    resp.headers["Retry-After"] = str(wait)
    return resp

