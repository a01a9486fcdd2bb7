from flask import Blueprint, Flask


class Service:
    """Registers MethodView resources on its own blueprint: its
    add_resource is not Flask-RESTful's."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.blueprint = Blueprint("api", __name__, url_prefix="/api")

    def add_resource(self, resource, *urls: str, undocumented: bool = False) -> None:
        view = resource.as_view(resource.__name__)
        endpoint = view.__name__.lower()
        for url in urls:
            self.blueprint.add_url_rule(rule=url, endpoint=endpoint, view_func=view)

    def register(self):
        self.app.register_blueprint(self.blueprint)


app = Flask(__name__)
api = Service(app)
