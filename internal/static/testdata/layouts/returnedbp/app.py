# A helper that makes a blueprint per call from the table it is given and
# returns it; each caller registers its own under its own prefix, directly
# or through a name. Each blueprint serves its own table only.
from flask import Blueprint, Flask


def a():
    return "a"


def b():
    return "b"


def c():
    return "c"


def make_bp(name, rows):
    bp = Blueprint(name, __name__)
    for rule, view in rows:
        bp.add_url_rule(rule, view.__name__, view)
    return bp


app = Flask(__name__)
app.register_blueprint(make_bp("one", [("/a", a)]), url_prefix="/one")
two = make_bp("two", [("/b", b), ("/c", c)])
app.register_blueprint(two, url_prefix="/two")
