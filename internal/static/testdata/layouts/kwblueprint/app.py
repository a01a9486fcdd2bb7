"""Blueprints handed to register_blueprint by keyword: at module level,
in a loop over a table, and bound in a functools.partial called later."""
import functools

from flask import Blueprint, Flask

from parts import health, reports, users

app = Flask(__name__)

app.register_blueprint(url_prefix="/users", blueprint=users.bp)

for part, prefix in ((reports.bp, "/reports"), (reports.archive, "/archive")):
    app.register_blueprint(blueprint=part, url_prefix=prefix)

register_health = functools.partial(app.register_blueprint, blueprint=health.bp, url_prefix="/health")
register_health()

extra = Blueprint("extra", __name__)


@extra.route("/ping")
def ping():
    return "pong"


app.register_blueprint(blueprint=extra)
