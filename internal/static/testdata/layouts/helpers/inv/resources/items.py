from flask_restful import Resource


class ItemList(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Item(Resource):
    def get(self, item_id):
        return {}


def setup(api, base):
    api.add_resource(ItemList, base + "/items")
    api.add_resource(Item, "/".join([base, "items", "<int:item_id>"]))
