from flask_restful import Resource


class Stock(Resource):
    def get(self):
        return []


def setup(api, base):
    api.add_resource(Stock, "%s/stock" % base)
