from flask import Flask

from service.views import api


class ServiceFlask(Flask):
    """The service's Flask with its own JSON defaults."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.json.sort_keys = False


def create_app():
    app = ServiceFlask(__name__)
    app.register_blueprint(api, url_prefix="/api/v2")
    return app
