from flask_restful import Resource


class Suppliers(Resource):
    def get(self):
        return []


def setup(api, base):
    api.add_resource(Suppliers, "{}/{}".format(base, "suppliers"), endpoint="suppliers")
