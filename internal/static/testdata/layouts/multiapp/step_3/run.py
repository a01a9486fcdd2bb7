"""Step 3: the key is checked for every request of this app."""
import hmac
import os

from flask import Flask, abort, request
from flask_restful import Api

from resources import Item, Stats

app = Flask(__name__)
api = Api(app)


@app.before_request
def require_key():
    if not hmac.compare_digest(request.headers.get("X-Api-Key", ""), os.environ["API_KEY"]):
        abort(401)


api.add_resource(Item, "/items/<int:item_id>")
api.add_resource(Stats, "/admin/stats")

if __name__ == "__main__":
    app.run()
