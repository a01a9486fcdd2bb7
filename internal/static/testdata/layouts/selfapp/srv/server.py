from flask import Blueprint, Flask

from srv import views


class Server:
    """Holds the app on the instance and registers routes on self.app."""

    def __init__(self, name):
        self.app = Flask(name)
        self.app.add_url_rule("/status", "status", views.status)
        self.bp = Blueprint("admin", name)
        self._routes()
        self.app.register_blueprint(self.bp, url_prefix="/admin")

    def _routes(self):
        @self.app.route("/items", methods=["GET", "POST"])
        def items():
            return []

        @self.app.get("/items/<int:iid>")
        def item(iid):
            return {}

        @self.bp.delete("/items/<int:iid>")  # want: py.route-missing-auth
        def drop(iid):
            return "", 204
