from flask_restful import Resource


class Item(Resource):
    def get(self, item_id):
        return {"id": item_id}


class Stats(Resource):
    def get(self):
        return {"items": 0}
