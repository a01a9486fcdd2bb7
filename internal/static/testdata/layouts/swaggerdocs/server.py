# flask-restful-swagger wraps the Api and hands it back: its resources are
# the Api's. (flask_restful_swagger is not packaged by Debian, so this
# layout has no app.py for the Flask import check.)
from flask import Flask
from flask_restful import Api, Resource
from flask_restful_swagger import swagger

app = Flask(__name__)
api = swagger.docs(Api(app), apiVersion="1.0", api_spec_url="/api/spec")


class Projects(Resource):
    def get(self):
        return []

    def post(self):
        return {}, 201


class Project(Resource):
    def get(self, project_id):
        return {}

    def delete(self, project_id):
        return "", 204


api.add_resource(Projects, "/api/projects")
api.add_resource(Project, "/api/projects/<project_id>")
