"""Rules computed by small project helpers: a local step, a format, a
run-time setting inside the rule (taken at its default, stated), an f-string
from a parameter default, a helper with two returns decided by its
argument; registered by add_url_rule, @route and a
Flask-RESTful Api."""
from flask import Flask
from flask_restful import Api, Resource

from settings import Config

app = Flask(__name__)
api = Api(app)


def format_url(endpoint):
    parts = endpoint.strip("/")
    return "/api/{}/{}/".format(Config.API_VERSION, parts)


def versioned(name, version="v1"):
    path = name.lower()
    if not path.startswith("/"):
        path = "/" + path
    return f"/{version}{path}"


def url(name, legacy=False):
    if legacy:
        return "/old/" + name
    return "/new/" + name


def ping():
    return "pong"


def user(user_id):
    return {"id": user_id}


class Projects(Resource):
    def get(self):
        return []


app.add_url_rule(format_url("ping/"), view_func=ping)
app.add_url_rule(format_url("/users/<int:user_id>/"), view_func=user)
api.add_resource(Projects, format_url("projects/"))


@app.route(versioned("Status"))
def status():
    return "ok"


@app.route(versioned("items", version="v3"), methods=["POST"])
def items():
    return "ok"


@app.route(url("reports"))
def reports():
    return "ok"


@app.route(url("reports", legacy=True), endpoint="legacy_reports")
def legacy_reports():
    return "ok"
