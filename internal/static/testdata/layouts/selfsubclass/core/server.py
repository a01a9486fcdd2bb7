from flask import Flask, jsonify


class BaseServer(Flask):
    """Registers its routes on itself when made."""

    def __init__(self, name):
        super().__init__(name)
        self.register_routes()

    def register_routes(self):
        @self.route("/health")
        def health():
            return "ok"

        self.add_url_rule("/items", view_func=self.list_items, methods=["GET"])

    def list_items(self):
        return jsonify([])


class AdminServer(BaseServer):
    def register_routes(self):
        super().register_routes()

        @self.route("/reports/stats", methods=["POST"])
        def stats():
            return "ok"


class SpareServer(Flask):
    """Never made in this project: its route stays unresolved."""

    def setup(self):
        @self.route("/spare")
        def spare():
            return "spare"
