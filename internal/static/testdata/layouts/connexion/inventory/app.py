import connexion
from connexion.resolver import RestyResolver

app = connexion.FlaskApp(__name__, specification_dir="spec")
app.add_api("api.yaml", resolver=RestyResolver("api"))
