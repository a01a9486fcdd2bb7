from flask import Flask

from reg import admin, api_bp, web

app = Flask(__name__)
app.register_blueprint(api_bp, url_prefix="/api")
app.register_blueprint(web.bp)
app.register_blueprint(admin.bp)
