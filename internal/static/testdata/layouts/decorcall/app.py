# Route decorators applied by a call (app.route(rule)(view)), a view's
# own decorator kept inside the route's; a blueprint's verb decorator
# applied the same way. Beside it, a Pecan controller (controllers.py)
# whose @pecan.expose publishes methods by object dispatch: not Flask
# routes, and not counted as route-like registrations.
import functools

import flask


def login_required(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        if not flask.request.headers.get("Authorization"):
            flask.abort(401)
        return f(*args, **kwargs)

    return wrapper


def versions():
    return {"versions": ["v1"]}


@login_required
def secret():
    return {"secret": True}


def create_app():
    app = flask.Flask(__name__)
    app.route("/", methods=["GET"])(versions)
    app.route("/versions")(versions)
    bp = flask.Blueprint("v1", __name__)
    bp.post("/secret")(secret)
    app.register_blueprint(bp, url_prefix="/v1")
    return app
