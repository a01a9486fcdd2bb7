# Routes declared in methods reached by dispatch: a base class's factory
# calls self.add_routes(app), which runs the override of the instance's
# class; the override calls super().add_routes(app) for the base's own.
import flask


class Frontend:
    def create_app(self):
        app = flask.Flask(__name__)
        self.add_routes(app)
        return app

    def add_routes(self, app):
        @app.get("/health")
        def health():
            return "ok"


class AdminFrontend(Frontend):
    def add_routes(self, app):
        super().add_routes(app)

        @app.post("/jobs/<int:job_id>/stop")
        def stop(job_id):
            return "", 204


app = AdminFrontend().create_app()
