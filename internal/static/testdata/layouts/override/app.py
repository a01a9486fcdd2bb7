from flask import Flask

from web import views

app = Flask(__name__)
app.register_blueprint(views.bp, url_prefix="/web")
