from flask_restx import Namespace, Resource

api = Namespace("cats", description="Cats related operations")


@api.route("/")
class CatList(Resource):
    def get(self):
        return []
