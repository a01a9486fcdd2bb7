import os

from flask import Flask

from svc.admin import admin
from svc.api import api
from svc.web import web

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or os.urandom(32).hex()
app.register_blueprint(admin, url_prefix="/admin")
app.register_blueprint(api, url_prefix="/api")
app.register_blueprint(web)
