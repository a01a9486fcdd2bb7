from flask import Flask

from web.events import bp

app = Flask(__name__)
app.register_blueprint(bp)
