# The factory takes the blueprints as a parameter, defaulted and extended
# in the branches of an if; one caller passes them, a worker passes none.
from flask import Flask

from svc.health import mod as health
from svc.plugins import install

DEFAULT_BLUEPRINTS = (health,)
API_VERSION = 1


def create_app(app_name=None, blueprints=None, config=None):
    if not blueprints:
        blueprints = DEFAULT_BLUEPRINTS
    else:
        blueprints = blueprints + DEFAULT_BLUEPRINTS
    app = Flask(app_name or __name__)
    configure_blueprints(app, blueprints)
    with app.app_context():
        install()
    return app


def configure_blueprints(app, blueprints):
    for blueprint in blueprints:
        app.register_blueprint(blueprint, url_prefix=f"/api/{API_VERSION}")
