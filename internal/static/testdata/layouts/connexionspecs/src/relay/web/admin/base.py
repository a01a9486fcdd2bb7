from os import path

import connexion
from specmerge import Merger

import relay.web
from relay.health import add_health_routes

here = path.dirname(__file__)
web_dir = path.dirname(relay.web.__file__)

# One API merged from several files: only the first holds paths.
spec = (
    Merger()
    .include(path.join(here, "openapi/admin.yml"))
    .include(path.join(web_dir, "common/openapi/definitions.yml"))
)


def create_app():
    cx = connexion.App(__name__, options={"swagger_ui": False})
    cx.add_api(spec, strict_validation=True)
    cx.add_api(here + "/openapi/v2.yml", base_path="/v2")
    flask_app = cx.app
    add_health_routes(flask_app)

    @flask_app.route("/console")
    def ui():
        return "ui"

    return cx
