from flask import Blueprint, Flask

import api.items  # noqa: F401 (the decorators fill the registries)
import api.users  # noqa: F401
from api.marks import ENDPOINTS, PAGES

bp = Blueprint("api", __name__, url_prefix="/api")
for rule, methods, view in ENDPOINTS:
    bp.add_url_rule(rule, view_func=view, methods=list(methods))

app = Flask(__name__)
app.register_blueprint(bp)
for view in PAGES:
    app.add_url_rule(view.page_rule, view_func=view)
