import importlib

import flask
import flask_restful


def _find(module_name, class_name):
    module = importlib.import_module(module_name)
    found = getattr(module, class_name, None)
    if found is None:
        raise LookupError(class_name)
    return found


def _make(name):
    bp = flask.Blueprint(name, __name__)
    return bp, flask_restful.Api(bp)


def mount(app, name, table):
    bp, api = _make(name)
    for row in table:
        cls = _find(row["where"], row["cls"])
        path = row["path"]
        if not path.startswith("/"):
            path = "/" + path
        api.add_resource(cls, path)
    app.register_blueprint(bp, url_prefix="/" + name)
