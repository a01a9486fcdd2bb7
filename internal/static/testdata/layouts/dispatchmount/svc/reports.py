from flask import Flask

app = Flask(__name__)


@app.route("/stats")
def stats():
    return {}
