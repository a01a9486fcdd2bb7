# Rules built in loops over constant tables at module level: nested
# loops over a dict's items chained with a list, a loop variable rebound
# in the body, a prefix chosen by an if on the element, +=, f-strings, and
# a registration only some elements reach.
import itertools

from flask import Blueprint, Flask

bp = Blueprint("browse", __name__)

OBJECT_PREFIXES = {
    "event": ["/browse"],
    "session": ["/browse/sessions/<int:session_id>", "/sessions/<int:session_id>"],
}


def files(**kwargs):
    return "files"


def upload(**kwargs):
    return "upload"


def designer(**kwargs):
    return "designer"


def receipts(**kwargs):
    return "receipts"


for object_type, prefixes in itertools.chain(OBJECT_PREFIXES.items(), [("category", ["/browse"])]):
    for prefix in prefixes:
        if object_type == "category":
            prefix = "/category/<int:category_id>" + prefix
        else:
            prefix = "/event/<int:event_id>" + prefix
        bp.add_url_rule(prefix + "/files/", "files_" + object_type, files)
        if object_type != "session":
            bp.add_url_rule(prefix + "/files/upload", "upload_" + object_type, upload, methods=("POST",))

for object_type in ("event", "category"):
    if object_type == "category":
        base = "/category/<int:category_id>"
    elif object_type == "event":
        base = "/event/<int:event_id>"
    else:
        base = "/never"
    base += "/designer"
    bp.add_url_rule(base + "/", "designer_" + object_type, designer)
    bp.add_url_rule(f"{base}/receipts", "receipts_" + object_type, receipts, methods=["GET", "POST"])



def about():
    return "about"


def robots():
    return "robots"


def redirect_locale(target_locale, path=""):
    return target_locale


PAGES = [("/about", about), ("/robots.txt", robots)]
for rule, view_func in PAGES:
    bp.add_url_rule(rule, view_func=view_func)
    bp.add_url_rule("/<int(min=1):ver>" + rule, view_func=view_func)

LOCALES = [("zh_TW", "zh_Hant_TW"), ("no", "nb_NO")]
for locale in LOCALES:
    legacy = locale[0]
    bp.add_url_rule(f"/{legacy}/", "legacy_" + legacy, redirect_locale, defaults={"target_locale": locale[-1]})

app = Flask(__name__)
app.register_blueprint(bp)
