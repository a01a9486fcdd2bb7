"""An app the helper imports only with stand-ins: it lives under a
directory that is not a package (imported from service/, as its
Dockerfile would run it), imports a name the installed Flask lacks and
an extension the interpreter lacks (flask_restx, which registers routes),
reads a required environment variable, calls an installed library with
an argument its version does not take, and is made by a factory that
requires its config name."""
import os

from flask import Flask, authprobe_name_flask_lacks  # noqa: F401
from flask_httpauth import HTTPBasicAuth
from flask_restx import Api, Resource

from core.settings import PREFIX

auth = HTTPBasicAuth(authprobe_option_this_version_lacks=True)


def create_app(config_name):
    app = Flask(__name__)
    app.config["DATABASE_URL"] = os.environ["AUTHPROBE_FIXTURE_DATABASE_URL"]
    from core.views import bp

    app.register_blueprint(bp, url_prefix=PREFIX + "/" + config_name)
    api = Api(app)

    @api.route("/restx/items")
    class Items(Resource):
        def get(self):
            return []

    return app
