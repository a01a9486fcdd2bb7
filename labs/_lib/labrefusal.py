"""Refusal styles shared by the labs.

A lab marks each refusal it answers (`mark()`, then its usual error answer)
and calls `install(app)`; the REFUSAL environment variable then restyles
every marked answer the way some front ends and frameworks say no:

  200        200 {"success": false, "error": ...} (an error envelope)
  302        a redirect to /login?next=<path>
  404        404 {"error": "Not found"} (hiding that the route exists)
  422        422 {"success": false, "error": ...}
  500        a steady 500 {"error": "internal error"}
  login200   the HTML sign-in page with HTTP 200 (login_required without a
             redirect)
  401html    401 with an HTML error page
  403detail  403 {"detail": ...} (FastAPI's HTTPException)
  204        an empty 204

Unset (or any other value), the lab answers as written. Answers the lab
does not mark (a throttle's 429, "no such product" past the gate) are
never restyled.
"""
import json
import os

from flask import Response, g, redirect, request

STYLE = os.environ.get("REFUSAL", "")

LOGIN_PAGE = ("<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>"
              "<form method=post action=/login><label>Username <input name=username></label>"
              "<label>Password <input type=password name=password></label><button>Sign in</button></form>"
              "</body></html>")

STYLES = {
    "200": lambda message: Response(json.dumps({"success": False, "error": message}), 200, mimetype="application/json"),
    "302": lambda message: redirect("/login?next=" + request.path),
    "404": lambda message: Response(json.dumps({"error": "Not found"}), 404, mimetype="application/json"),
    "422": lambda message: Response(json.dumps({"success": False, "error": message}), 422, mimetype="application/json"),
    "500": lambda message: Response(json.dumps({"error": "internal error"}), 500, mimetype="application/json"),
    "login200": lambda message: Response(LOGIN_PAGE, 200, mimetype="text/html"),
    "401html": lambda message: Response("<html><body><h1>401 Unauthorized</h1><p>%s</p></body></html>" % message,
                                        401, mimetype="text/html"),
    "403detail": lambda message: Response(json.dumps({"detail": message}), 403, mimetype="application/json"),
    "204": lambda message: Response(status=204),
}


def mark():
    """Marks the answer being built as a refusal."""
    g.refused = True


def install(app):
    """Restyles every marked refusal in the REFUSAL style."""

    @app.after_request
    def restyle(response):
        if not g.get("refused") or STYLE not in STYLES:
            return response
        body = response.get_json(silent=True) or {}
        return STYLES[STYLE](str(body.get("error", "")))
