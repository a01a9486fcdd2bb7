from flask import Flask

from shop.modules.pages.view import bp as pages_bp

app = Flask(__name__)
app.register_blueprint(pages_bp)
