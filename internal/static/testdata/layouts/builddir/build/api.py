"""An app that lives in a folder named build (a build service's API)."""
from flask import Flask

app = Flask(__name__)


@app.get("/builds/<int:build_id>")
def build(build_id):
    return {"id": build_id}
