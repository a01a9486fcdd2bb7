import os

from flask import Flask

from gate.settings import Settings
from gate.portal import make_portal

app = Flask(__name__)
settings = Settings()

# The prefix is read from the deployment's settings at start-up; the
# defaults table in gate/settings.py gives "" when nothing sets it.
_, BASE = settings.read("web", "base_prefix")


@app.get(f"{BASE}/api/status")
def status():
    return {"ok": True}


@app.route(BASE + "/api/items", methods=["GET", "POST"])
def items():
    return {"items": []}


def health():
    return "ok"


# An environment read with its default.
app.add_url_rule(os.getenv("HEALTH_PREFIX", "/ops") + "/health", view_func=health)

app.register_blueprint(make_portal(settings))


def mount_extra(target, base):
    # A prefix given by a parameter is the caller's, not a setting: with a
    # computed argument the rule stays unresolved (never assumed empty).
    target.add_url_rule(base + "/extra", "extra", health)


def compute_base():
    return "/" + settings.parser.get("web", "extra", fallback="x").strip("/")


if os.getenv("GATE_EXTRA"):
    mount_extra(app, compute_base())
