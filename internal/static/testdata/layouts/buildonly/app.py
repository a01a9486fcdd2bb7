"""Rules that only build URLs (build_only=True: url_for works, Werkzeug
never matches them) next to served routes: not routes, not lost ones."""
from flask import Blueprint, Flask

app = Flask(__name__)
media = Blueprint("media", __name__, url_prefix="/media")


@app.route("/pages/<int:page_id>")
def page(page_id):
    return {"id": page_id}


# Served by a CDN in production; the app only builds links to them.
app.add_url_rule("/cdn/<path:filename>", endpoint="cdn", build_only=True)
media.add_url_rule("/thumbs/<path:name>", "thumb", build_only=True)


@media.route("/upload", methods=["POST"])
def upload():
    return {}, 201


app.register_blueprint(media)
