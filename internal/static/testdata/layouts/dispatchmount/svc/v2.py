import flask


def create():
    app = flask.Flask(__name__)

    @app.get("/items")
    def items():
        return []

    @app.delete("/items/<int:item_id>")
    def delete_item(item_id):
        return "", 204

    return app
