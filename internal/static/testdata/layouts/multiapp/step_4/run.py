"""Step 4: a second app in the same tree, without step 3's hook."""
from flask import Flask
from flask_restful import Api

import resources

app = Flask(__name__)
api = Api(app)
api.add_resource(resources.Item, "/items/<int:item_id>")
api.add_resource(resources.Stats, "/admin/stats")

if __name__ == "__main__":
    app.run()
