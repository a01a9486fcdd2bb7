# Views that are functions in a class body, given as Class.name (no
# MethodView, no as_view): a staticmethod of a local class by keyword, a
# classmethod of an imported class by position, on an app and a blueprint.
from flask import Blueprint, Flask

from handlers import Reports


class Pages:
    @staticmethod
    def about():
        return "about"

    @staticmethod
    def page(slug):
        return slug


app = Flask(__name__)
app.add_url_rule("/about", view_func=Pages.about)
app.add_url_rule("/pages/<slug>", "page", view_func=Pages.page, methods=["GET", "DELETE"])

reports = Blueprint("reports", __name__)
reports.add_url_rule("/summary", "summary", Reports.summary)
app.register_blueprint(reports, url_prefix="/reports")
