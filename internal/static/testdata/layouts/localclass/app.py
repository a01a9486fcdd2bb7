# The app's class is declared inside the factory: a Flask subclass whose
# add_url_rule override forwards to Flask's.
from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/api")


@api.route("/items", methods=["GET", "POST"])
def items():
    return "items"


def create_app():
    class CustomFlask(Flask):
        SKIP_RULES = ["/legacy/"]

        def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
            if rule in CustomFlask.SKIP_RULES:
                return None
            return super().add_url_rule(rule, endpoint, view_func, **options)

    app = CustomFlask(__name__)

    @app.route("/")
    @app.route("/<path:text>")
    def index(text=""):
        return text

    app.register_blueprint(api)
    return app


app = create_app()
