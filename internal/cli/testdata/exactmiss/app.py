import json
import os

from flask import Flask

app = Flask(__name__)


def status():
    return "ok"


def version():
    return "1"


@app.route("/home")
def home():
    return "home"


# Rules read from a data file at start-up: Flask serves them; exact mode
# places them and says why static analysis lost them.
with open(os.path.join(os.path.dirname(__file__), "routes.json")) as f:
    for rule, name in json.load(f):
        app.add_url_rule(rule, name, globals()[name])
