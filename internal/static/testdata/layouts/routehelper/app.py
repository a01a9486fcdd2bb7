from flask import Flask

from forum import views

app = Flask(__name__)
app.config["FORUM_URL_PREFIX"] = "/forum"
views.load_blueprints(app)
