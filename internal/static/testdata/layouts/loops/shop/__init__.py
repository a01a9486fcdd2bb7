from flask import Flask

from shop.blueprints import BLUEPRINTS, PREFIXED
from shop.blueprints import admin, health
from shop.cors import with_cors


def create_app():
    app = Flask(__name__)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    for bp, prefix in PREFIXED:
        app.register_blueprint(bp, url_prefix=prefix)
    for bp in (health.blueprint,):
        app.register_blueprint(bp)
    mount(app, admin.blueprint, "/admin")
    app.register_blueprint(with_cors(admin.webhooks))
    return app


def mount(app, blueprint, prefix):
    app.register_blueprint(blueprint, url_prefix=prefix)
