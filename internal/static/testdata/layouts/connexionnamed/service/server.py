"""A connexion app whose resolver is bound to a module-level name (used
inside the factory), with the collection endpoint renamed: operations
without operationId are resolved by RestyResolver's REST naming."""
import connexion
from connexion.resolver import RestyResolver

RESOLVER = RestyResolver("handlers", collection_endpoint_name="list")


def create_app():
    app = connexion.FlaskApp(__name__, specification_dir="spec")
    app.add_api("api.yaml", resolver=RESOLVER)
    return app
