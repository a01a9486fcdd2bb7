from flask import Flask

import views.things  # noqa: F401 (registers on the blueprint)
from views.reg import bp

app = Flask(__name__)
app.register_blueprint(bp)
